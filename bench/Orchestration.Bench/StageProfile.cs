using System.Text.Json;
using Orchestration.Workflows.ImagePipeline;

namespace Orchestration.Bench;

/// <summary>One stretch of a run's latency.</summary>
internal sealed record Stage(string Name, TimeSpan Duration);

/// <summary>
/// Where one run's time went between its upload and its manifest: the bench's own clock at both ends and, between them,
/// the engine's timestamps from the instance history — the instance created, each activity scheduled (after an
/// orchestrator episode) and completed (after a trip through the work-item queue and the activity itself). The stages
/// add up to the latency exactly. Same machine, same clock: the timestamps are comparable.
/// </summary>
internal sealed record StageProfile(TimeSpan Latency, IReadOnlyList<Stage> Stages)
{
    public static StageProfile Of(PipelineUpload upload, JsonElement[] history)
    {
        var milestones = new List<(string Name, DateTimeOffset At)>
        {
            ("upload to images-in", upload.Uploaded),
            ("blob trigger: poll, receipt, start", Timestamp(history.Single(e => Is(e, "ExecutionStarted")))),
        };
        foreach (JsonElement scheduled in history.Where(e => Is(e, "TaskScheduled")))
        {
            string activity = scheduled.GetProperty("name").GetString()!;
            milestones.Add(($"orchestrator → {activity}", Timestamp(scheduled)));
            if (activity == nameof(WriteManifestActivity))
            {
                milestones.Add(($"{activity} until the manifest is seen", upload.ManifestSeen));
                break;
            }

            int id = scheduled.GetProperty("eventId").GetInt32();
            milestones.Add(($"{activity}: queue and run", Timestamp(history.Single(e => Is(e, "TaskCompleted") && e.GetProperty("taskScheduledId").GetInt32() == id))));
        }

        DateTimeOffset previous = upload.Started;
        var stages = new List<Stage>(milestones.Count);
        foreach ((string name, DateTimeOffset at) in milestones)
        {
            stages.Add(new Stage(name, at - previous));
            previous = at;
        }

        return new StageProfile(upload.Latency, stages);
    }

    /// <summary>Each stage's mean over <paramref name="runs"/> (same pipeline, so the same stages in the same order).</summary>
    public static IReadOnlyList<Stage> Mean(IReadOnlyList<StageProfile> runs) =>
        runs[0].Stages.Select((stage, i) => new Stage(stage.Name, TimeSpan.FromTicks((long)runs.Average(r => r.Stages[i].Duration.Ticks)))).ToList();

    static bool Is(JsonElement e, string eventType) => e.GetProperty("eventType").GetString() == eventType;

    static DateTimeOffset Timestamp(JsonElement e) => e.GetProperty("timestamp").GetDateTimeOffset();
}

using System.Text.Json;
using Microsoft.DurableTask;
using Orchestration.Workflows.Durable;

namespace Orchestration.Workflows.Samples;

/// <summary>Input of <c>approval</c>: what needs a decision and how long to wait for it.</summary>
public sealed record ApprovalInput(string Subject, int TimeoutSeconds = 3600) : IValidatableInput
{
    public const int MaxTimeoutSeconds = 7 * 24 * 3600;

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Subject) || Subject.Length > 500)
        {
            yield return "subject: required, at most 500 characters.";
        }

        if (TimeoutSeconds is < 1 or > MaxTimeoutSeconds)
        {
            yield return $"timeoutSeconds: {TimeoutSeconds} is out of range; use 1 to {MaxTimeoutSeconds}.";
        }
    }
}

/// <summary>
/// The body of the <c>ApprovalDecision</c> event. <see cref="Approved"/> is required: an empty decision decides nothing
/// (the API refuses it; the orchestrator ignores it and keeps waiting).
/// </summary>
public sealed record ApprovalDecision(bool? Approved, string? By = null, string? Comment = null) : IValidatableInput
{
    /// <summary>The event's shape, for the messages that refuse or ignore a bad one.</summary>
    public const string Shape = """{"approved": true or false (required), "by": "who" (optional), "comment": "why" (optional)}""";

    public IEnumerable<string> Validate()
    {
        if (Approved is null)
        {
            yield return "approved: required, true or false.";
        }
    }
}

/// <summary>The custom status while waiting, once a decision had to be ignored: how many, and why the last one was.</summary>
public sealed record ApprovalWaiting(string Stage, int Done, int Total, int IgnoredEvents, string LastIgnored);

public enum ApprovalOutcome
{
    Approved,
    Rejected,
    TimedOut,
}

public sealed record ApprovalResult(string Subject, ApprovalOutcome Outcome, string? By, string? Comment, DateTime DecidedAt);

/// <summary>Human interaction: wait for an external event, or give up when a durable timer fires first.</summary>
public sealed class ApprovalOrchestrator : TaskOrchestrator<ApprovalInput, ApprovalResult>
{
    public const string DecisionEvent = "ApprovalDecision";

    /// <summary>Malformed decisions ignored before the instance stops listening and waits out its timer.</summary>
    public const int MaxIgnoredDecisions = 100;

    public override async Task<ApprovalResult> RunAsync(TaskOrchestrationContext context, ApprovalInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        context.SetCustomStatus(new Progress("waiting-for-decision", 0, 1));

        using var timeout = new CancellationTokenSource();
        DateTime deadline = context.CurrentUtcDateTime.AddSeconds(input.TimeoutSeconds);
        Task timer = context.CreateTimer(deadline, timeout.Token);
        for (int ignored = 1; ignored <= MaxIgnoredDecisions; ignored++)
        {
            // Read as raw JSON: a malformed decision (another client of the task hub can send anything) would otherwise
            // throw while the event is delivered and fail the instance.
            Task<JsonElement?> decision = context.WaitForExternalEvent<JsonElement?>(DecisionEvent);
            if (await Task.WhenAny(decision, timer) != decision)
            {
                break;
            }

            if (EventData.TryRead(await decision, out ApprovalDecision? d, out string? problem))
            {
                context.SetCustomStatus(new Progress("decided", 1, 1));
                // Cancel() not CancelAsync(): an orchestrator may only await tasks of its own context.
#pragma warning disable CA1849
                timeout.Cancel();
#pragma warning restore CA1849
                return new ApprovalResult(
                    input.Subject, d.Approved == true ? ApprovalOutcome.Approved : ApprovalOutcome.Rejected, d.By, d.Comment, context.CurrentUtcDateTime);
            }

            context.SetCustomStatus(new ApprovalWaiting(
                ignored < MaxIgnoredDecisions ? "waiting-for-decision" : "too-many-bad-decisions",
                0,
                1,
                ignored,
                $"{DecisionEvent} ignored: {problem} Expected {ApprovalDecision.Shape}."));
        }

        // Only after MaxIgnoredDecisions malformed decisions (the history stays bounded): the timer still ends it.
        await timer;

        context.SetCustomStatus(new Progress("decided", 1, 1));
        return new ApprovalResult(input.Subject, ApprovalOutcome.TimedOut, null, null, context.CurrentUtcDateTime);
    }
}

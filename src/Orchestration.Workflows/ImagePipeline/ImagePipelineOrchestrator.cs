using Microsoft.DurableTask;
using Orchestration.Workflows.Durable;
using Orchestration.Workflows.Imaging;
using Orchestration.Workflows.Storage;
using Orchestration.Workflows.Triggers;

namespace Orchestration.Workflows.ImagePipeline;

/// <summary>
/// <c>image-pipeline</c>. One image: inspect → (rejected: copy with a reason → mark) or (render every variant → write the
/// manifest → mark); a render that finds the pixel data damaged past inspection takes the reject path too. A rejection completes the orchestration with <see cref="ImageOutcome.Rejected"/>; it never fails it.
/// A batch (a prefix): a page of the listing at a time, one sub-orchestration of this same orchestrator per image (at
/// most <see cref="WindowSize"/> in flight), then <c>ContinueAsNew</c> for the next page.
/// The source stays where it is, marked with blob index tags (<see cref="MarkSourceDoneActivity"/>).
/// </summary>
public sealed class ImagePipelineOrchestrator : TaskOrchestrator<ImagePipelineInput, ImagePipelineResult>
{
    public const string Workflow = "image-pipeline";
    public const string InputContainer = "images-in";

    /// <summary>Sub-orchestrations in flight at once in a batch: bounds the parent's pending work and the workers' memory.</summary>
    public const int WindowSize = 100;

    public override async Task<ImagePipelineResult> RunAsync(TaskOrchestrationContext context, ImagePipelineInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        return input.IsBatch ? await RunBatchAsync(context, input) : await RunImageAsync(context, input.ToBlobRef());
    }

    static async Task<ImagePipelineResult> RunImageAsync(TaskOrchestrationContext context, BlobRef requested)
    {
        DateTime started = context.CurrentUtcDateTime;
        if (BlobNames.Refusal(requested.Name) is { } refusal)
        {
            // A name requests would resolve elsewhere (or that would end up in output names and logs): the verdict is a
            // reason file under a name derived from a hash; the source is never addressed by that name.
            var badName = new Inspection.Rejected(RejectionCode.BadName, refusal, BlobNames.Rule);
            context.SetCustomStatus(new Progress("reject", 0, 1));
            string reasonAt = await context.CallActivityAsync<string>(nameof(RejectImageActivity), new RejectRequest(requested, badName), TaskDefaults.Storage);
            context.SetCustomStatus(new Progress("done", 1, 1));
            return new ImagePipelineResult(ImageOutcome.Rejected, Source: requested.ToString(), Code: badName.Code, Reason: badName.Reason, RejectedTo: reasonAt);
        }

        context.SetCustomStatus(new Progress("inspect", 0, 4));
        SourceInspection inspection = await context.CallActivityAsync<SourceInspection>(nameof(InspectImageActivity), requested, TaskDefaults.Storage);
        if (inspection.Mark is not null)
        {
            // This very version was already processed (e.g. started again over HTTP): nothing to redo.
            context.SetCustomStatus(new Progress("done", 1, 1));
            return new ImagePipelineResult(ImageOutcome.AlreadyDone, Source: requested.ToString(), Reason: $"already {inspection.Mark}");
        }

        // Every later step reads and marks exactly the version inspected.
        BlobRef source = requested with { ETag = inspection.ETag };
        DateTime inspected = context.CurrentUtcDateTime;
        switch (inspection.Verdict)
        {
            case Inspection.Rejected rejected:
                return await RejectAsync(context, source, rejected, done: 1, total: 3);

            case Inspection.Accepted accepted:
                {
                    string stem = ImagePaths.Stem(source.Name);
                    context.SetCustomStatus(new Progress("render", 1, 4));
                    RenderResult render = await context.CallActivityAsync<RenderResult>(
                        nameof(RenderVariantsActivity), new RenderRequest(source, accepted, stem), RenderVariantsActivity.Options);
                    if (render.Rejection is { } damaged)
                    {
                        // The header passed inspection but the pixel data does not decode: a verdict like any other rejection.
                        return await RejectAsync(context, source, damaged, done: 2, total: 4);
                    }

                    IReadOnlyList<VariantInfo> variants = render.Variants;
                    DateTime rendered = context.CurrentUtcDateTime;
                    context.SetCustomStatus(new Progress("manifest", 2, 4));
                    var manifest = new Manifest(source, stem, accepted, variants, new ManifestTimings(started, inspected, rendered), context.InstanceId);
                    string manifestPath = await context.CallActivityAsync<string>(nameof(WriteManifestActivity), manifest, TaskDefaults.Storage);
                    context.SetCustomStatus(new Progress("mark", 3, 4));
                    await context.CallActivityAsync<bool>(nameof(MarkSourceDoneActivity), new MarkRequest(source, ImageOutcome.Processed), TaskDefaults.Storage);
                    context.SetCustomStatus(new Progress("done", 4, 4));
                    return new ImagePipelineResult(ImageOutcome.Processed, Source: source.ToString(), Manifest: manifestPath, Variants: variants.Count);
                }

            default:
                throw new InvalidOperationException($"Unknown inspection verdict {inspection.Verdict?.GetType().Name ?? "null"}.");
        }
    }

    /// <summary>Copy with a reason → mark rejected → complete <see cref="ImageOutcome.Rejected"/>; progress continues from <paramref name="done"/> of <paramref name="total"/>.</summary>
    static async Task<ImagePipelineResult> RejectAsync(TaskOrchestrationContext context, BlobRef source, Inspection.Rejected rejected, int done, int total)
    {
        context.SetCustomStatus(new Progress("reject", done, total));
        string rejectedTo = await context.CallActivityAsync<string>(nameof(RejectImageActivity), new RejectRequest(source, rejected), TaskDefaults.Storage);
        context.SetCustomStatus(new Progress("mark", done + 1, total));
        await context.CallActivityAsync<bool>(nameof(MarkSourceDoneActivity), new MarkRequest(source, ImageOutcome.Rejected), TaskDefaults.Storage);
        context.SetCustomStatus(new Progress("done", total, total));
        return new ImagePipelineResult(ImageOutcome.Rejected, Source: source.ToString(), Code: rejected.Code, Reason: rejected.Reason, RejectedTo: rejectedTo);
    }

    /// <summary>
    /// One page of the listing per generation: list a page of blobs (<see cref="ListImagesActivity.PageSizeSetting"/>), run one child
    /// per blob with at most <see cref="WindowSize"/> in flight, then <c>ContinueAsNew</c> with the listing's continuation
    /// and the counts so far. However many blobs the prefix holds, no generation's history grows past one page; the
    /// instance id stays the same, so callers poll one instance throughout.
    /// </summary>
    static async Task<ImagePipelineResult> RunBatchAsync(TaskOrchestrationContext context, ImagePipelineInput input)
    {
        BatchCursor cursor = input.Cursor ?? BatchCursor.Start;
        context.SetCustomStatus(new Progress("list", cursor.Done, cursor.Total));
        ImageListing page = await context.CallActivityAsync<ImageListing>(
            nameof(ListImagesActivity), new ListImagesRequest(input.Container, input.Prefix ?? string.Empty, cursor.ContinuationToken), TaskDefaults.Storage);
        cursor = await RunPageAsync(context, page.Blobs, cursor with { Total = cursor.Total + page.Blobs.Count });
        cursor = cursor with { ContinuationToken = page.ContinuationToken, Pages = cursor.Pages + 1 };
        var result = new ImagePipelineResult(
            ImageOutcome.Batch, Source: $"{input.Container}/{input.Prefix}", Total: cursor.Total, Processed: cursor.Processed, Rejected: cursor.Rejected, Failed: cursor.Failed, Pages: cursor.Pages);
        if (page.ContinuationToken is not null)
        {
            // The next page in a fresh generation; this result is not the instance's output (the last generation's is).
            context.ContinueAsNew(input with { Cursor = cursor });
            return result;
        }

        context.SetCustomStatus(new Progress("done", cursor.Done, cursor.Total));
        return result;
    }

    /// <summary>A child per blob, <see cref="WindowSize"/> at a time: as each finishes the next starts (a slow image holds up no wave).</summary>
    static async Task<BatchCursor> RunPageAsync(TaskOrchestrationContext context, IReadOnlyList<BlobRef> blobs, BatchCursor cursor)
    {
        var inFlight = new List<Task<ImagePipelineResult>>(WindowSize);
        context.SetCustomStatus(new Progress("images", cursor.Done, cursor.Total));
        foreach (BlobRef blob in blobs)
        {
            if (inFlight.Count == WindowSize)
            {
                cursor = await TallyNextAsync(context, inFlight, cursor);
            }

            var options = new SubOrchestrationOptions { InstanceId = ChildInstanceId(context.InstanceId, blob), Retry = TaskDefaults.Storage.Retry };
            inFlight.Add(context.CallSubOrchestratorAsync<ImagePipelineResult>(nameof(ImagePipelineOrchestrator), ImagePipelineInput.FromBlob(blob), options));
        }

        while (inFlight.Count > 0)
        {
            cursor = await TallyNextAsync(context, inFlight, cursor);
        }

        return cursor;
    }

    /// <summary>Waits for the first of <paramref name="inFlight"/> to finish, removes it and counts its outcome (a failed child counts as failed).</summary>
    static async Task<BatchCursor> TallyNextAsync(TaskOrchestrationContext context, List<Task<ImagePipelineResult>> inFlight, BatchCursor cursor)
    {
        Task<ImagePipelineResult> finished = await Task.WhenAny(inFlight);
        inFlight.Remove(finished);
        try
        {
            cursor = (await finished).Outcome == ImageOutcome.Rejected
                ? cursor with { Rejected = cursor.Rejected + 1 }
                : cursor with { Processed = cursor.Processed + 1 };
        }
        catch (TaskFailedException)
        {
            cursor = cursor with { Failed = cursor.Failed + 1 };
        }

        context.SetCustomStatus(new Progress("images", cursor.Done, cursor.Total));
        return cursor;
    }

    /// <summary>
    /// <c>{parent}:{image-pipeline-&lt;hash of container, name, ETag&gt;}</c>: deterministic, so a replay or a restart of the batch
    /// finds its children instead of starting new ones. Prefixed with the parent's id, because the bare blob id is the one
    /// the blob trigger uses for the same version: a batch over blobs the trigger already ran must not collide with those.
    /// </summary>
    public static string ChildInstanceId(string parentInstanceId, BlobRef blob) =>
        $"{parentInstanceId}:{BlobTriggerStarter.InstanceIdFor(Workflow, blob)}";
}

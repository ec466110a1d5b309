using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.DurableTask;
using Orchestration.Workflows.Imaging;
using Orchestration.Workflows.Storage;

namespace Orchestration.Workflows.ImagePipeline;

/// <summary>
/// Reads the blob's properties (size, ETag, our mark), rejects an over-size blob without downloading it, otherwise
/// downloads at most <c>limits.maxBytes + 1</c> bytes of exactly that version and lets <see cref="ImageInspector"/> judge them.
/// Pixels are not decoded here (the render does that once and rejects damaged data as Corrupt). The download waits for a
/// <see cref="RenderGate"/> slot, as renders do: a burst of uploads would otherwise hold every source in memory at once.
/// </summary>
public sealed class InspectImageActivity(BlobServiceClient blobs, ImagePipelineDefinition definition, RenderGate gate) : TaskActivity<BlobRef, SourceInspection>
{
    public override async Task<SourceInspection> RunAsync(TaskActivityContext context, BlobRef input)
    {
        ArgumentNullException.ThrowIfNull(input);
        BlobClient blob = blobs.GetBlobContainerClient(input.Container).Open(input.Name);
        ImageLimits limits = definition.Limits;
        try
        {
            BlobProperties properties = (await blob.GetPropertiesAsync(
                input.VersionConditions())).Value;
            string etag = properties.ETag.ToString();
            if (properties.TagCount > 0
                && (await blob.GetTagsAsync(new BlobRequestConditions { IfMatch = properties.ETag })).Value.Tags
                    .TryGetValue(MarkSourceDoneActivity.StatusKey, out string? mark))
            {
                return new SourceInspection(etag, Verdict: null, mark);
            }

            long length = properties.ContentLength;
            if (length == 0 || length > limits.MaxBytes)
            {
                // Decided from the size alone: nothing is downloaded (a range read of an empty blob is refused anyway).
                return new SourceInspection(etag, ImageInspector.Inspect(Stream.Null, length, limits));
            }

            using RenderGate.Lease slot = await gate.EnterAsync();
            BlobDownloadStreamingResult download = (await blob.DownloadStreamingAsync(new BlobDownloadOptions
            {
                Range = new HttpRange(0, limits.MaxBytes + 1),
                Conditions = new BlobRequestConditions { IfMatch = properties.ETag },
            })).Value;
            await using Stream content = download.Content;

            // Header checks only: the render decodes the pixels anyway and turns damaged data into a Corrupt rejection,
            // so a verifying decode here would decode every accepted image twice (bench/README.md).
            return new SourceInspection(etag, ImageInspector.Inspect(content, length, limits, verifyPixels: false));
        }
        catch (RequestFailedException ex) when (StorageErrors.IsPermanent(ex))
        {
            throw StorageErrors.Explain(ex, input.Container, input.Name);
        }
    }
}

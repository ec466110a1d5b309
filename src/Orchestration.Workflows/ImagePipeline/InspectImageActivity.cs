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
/// </summary>
public sealed class InspectImageActivity(BlobServiceClient blobs, ImagePipelineDefinition definition) : TaskActivity<BlobRef, SourceInspection>
{
    public override async Task<SourceInspection> RunAsync(TaskActivityContext context, BlobRef input)
    {
        ArgumentNullException.ThrowIfNull(input);
        BlobClient blob = blobs.GetBlobContainerClient(input.Container).GetBlobClient(input.Name);
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

            BlobDownloadStreamingResult download = (await blob.DownloadStreamingAsync(new BlobDownloadOptions
            {
                Range = new HttpRange(0, limits.MaxBytes + 1),
                Conditions = new BlobRequestConditions { IfMatch = properties.ETag },
            })).Value;
            await using Stream content = download.Content;
            return new SourceInspection(etag, ImageInspector.Inspect(content, length, limits));
        }
        catch (RequestFailedException ex) when (StorageErrors.IsPermanent(ex))
        {
            throw StorageErrors.Explain(ex, input.Container, input.Name);
        }
    }
}

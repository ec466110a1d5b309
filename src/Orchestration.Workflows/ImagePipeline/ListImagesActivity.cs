using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.DurableTask;
using Orchestration.Workflows.Storage;

namespace Orchestration.Workflows.ImagePipeline;

/// <summary>
/// Lists the blobs under a prefix, with their ETags, for a batch: at most <see cref="MaxBlobs"/> (the rest are reported as
/// truncated, not silently dropped). Every blob is listed, whatever its name: inspection decides what is an image.
/// </summary>
public sealed class ListImagesActivity(BlobServiceClient blobs) : TaskActivity<ListImagesRequest, ImageListing>
{
    public const int MaxBlobs = 10_000;

    public override async Task<ImageListing> RunAsync(TaskActivityContext context, ListImagesRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var found = new List<BlobRef>();
        try
        {
            await foreach (BlobItem item in blobs.GetBlobContainerClient(input.Container)
                .GetBlobsAsync(new GetBlobsOptions { Prefix = string.IsNullOrEmpty(input.Prefix) ? null : input.Prefix }))
            {
                if (found.Count == MaxBlobs)
                {
                    return new ImageListing(found, Truncated: true);
                }

                found.Add(new BlobRef(input.Container, item.Name, item.Properties.ETag is { } etag ? BlobRef.QuotedETag(etag) : null));
            }
        }
        catch (RequestFailedException ex) when (StorageErrors.IsPermanent(ex))
        {
            throw StorageErrors.Explain(ex, input.Container, input.Prefix);
        }

        return new ImageListing(found, Truncated: false);
    }
}

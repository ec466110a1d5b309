using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.DurableTask;
using Microsoft.Extensions.Configuration;
using Orchestration.Workflows.Storage;

namespace Orchestration.Workflows.ImagePipeline;

/// <summary>
/// Lists one page of the blobs under a prefix, with their ETags quoted as everywhere else, and the token of the next
/// page. Every blob is listed, whatever its name: inspection decides what is an image. The page size is the setting
/// <see cref="PageSizeSetting"/> (default <see cref="DefaultPageSize"/>, at most Azure's 5,000): a page's children and
/// their results are what one generation of a batch's history holds.
/// </summary>
public sealed class ListImagesActivity(BlobServiceClient blobs, IConfiguration configuration) : TaskActivity<ListImagesRequest, ImageListing>
{
    public const string PageSizeSetting = "ImagePipeline:BatchPageSize";
    public const int DefaultPageSize = 1000;

    public override async Task<ImageListing> RunAsync(TaskActivityContext context, ListImagesRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        try
        {
            IAsyncEnumerable<Azure.Page<BlobItem>> pages = blobs.GetBlobContainerClient(input.Container)
                .GetBlobsAsync(new GetBlobsOptions { Prefix = string.IsNullOrEmpty(input.Prefix) ? null : input.Prefix })
                .AsPages(input.ContinuationToken, Math.Clamp(configuration.GetValue(PageSizeSetting, DefaultPageSize), 1, 5000));
            await foreach (Azure.Page<BlobItem> page in pages)
            {
                var found = page.Values
                    .Select(item => new BlobRef(input.Container, item.Name, item.Properties.ETag is { } etag ? BlobRef.QuotedETag(etag) : null))
                    .ToList();
                return new ImageListing(found, string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
            }
        }
        catch (RequestFailedException ex) when (StorageErrors.IsPermanent(ex))
        {
            throw StorageErrors.Explain(ex, input.Container, input.Prefix);
        }

        return new ImageListing([], ContinuationToken: null);
    }
}

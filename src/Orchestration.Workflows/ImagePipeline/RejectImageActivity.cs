using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.DurableTask;
using Orchestration.Workflows.Imaging;
using Orchestration.Workflows.Storage;

namespace Orchestration.Workflows.ImagePipeline;

/// <summary>
/// Copies the rejected source (streamed, exactly the inspected version) to <c>{rejected}/{name}</c> and writes
/// <c>{rejected}/{name}.reason.json</c> (see <see cref="ImagePaths.ReasonName"/>) saying what was wrong and what is allowed.
/// Both overwrite, so a retry is harmless. Returns the reason file's path.
/// </summary>
public sealed class RejectImageActivity(BlobServiceClient blobs, ImagePipelineDefinition definition) : TaskActivity<RejectRequest, string>
{
    public override async Task<string> RunAsync(TaskActivityContext context, RejectRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        BlobRef source = input.Source;
        string rejectedContainer = definition.Containers.Rejected;
        BlobContainerClient container = blobs.GetBlobContainerClient(rejectedContainer);
        string reasonName = ImagePaths.ReasonName(source.Name);
        var reason = new RejectionReason(
            input.Inspection.Code,
            input.Inspection.Reason,
            input.Inspection.Allowed,
            source.Container,
            source.Name,
            source.ETag,
            DateTime.UtcNow,
            context.InstanceId);
        string current = source.ToString();
        try
        {
            await container.CreateIfNotExistsAsync();
            BlobDownloadStreamingResult download = (await blobs.GetBlobContainerClient(source.Container).GetBlobClient(source.Name).DownloadStreamingAsync(
                new BlobDownloadOptions { Conditions = source.VersionConditions() })).Value;
            await using (Stream content = download.Content)
            {
                current = $"{rejectedContainer}/{source.Name}";
                await container.GetBlobClient(source.Name).UploadAsync(
                    content,
                    new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = download.Details.ContentType } });
            }

            current = $"{rejectedContainer}/{reasonName}";
            await BlobJson.UploadAsync(container.GetBlobClient(reasonName), reason);
        }
        catch (RequestFailedException ex) when (StorageErrors.IsPermanent(ex))
        {
            int slash = current.IndexOf('/', StringComparison.Ordinal);
            throw StorageErrors.Explain(ex, current[..slash], current[(slash + 1)..]);
        }

        return $"{rejectedContainer}/{reasonName}";
    }
}

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
/// A source whose name breaks the name rule (<see cref="BlobNames.Problem"/>) is not read or copied: only its reason file is
/// written, under <c>{rejected}/~name/{SHA-256 of the name}.reason.json</c>, holding the original name.
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
        bool usableName = BlobNames.Problem(source.Name) is null;
        string reasonName = usableName ? ImagePaths.ReasonName(source.Name) : BlobNames.BadNameReasonName(source.Name);
        var reason = new RejectionReason(
            input.Inspection.Code,
            input.Inspection.Reason,
            input.Inspection.Allowed,
            source.Container,
            source.Name,
            source.ETag,
            DateTime.UtcNow,
            context.InstanceId);
        (string Container, string Name) current = (source.Container, source.Name);
        try
        {
            await container.CreateIfNotExistsAsync();
            if (usableName)
            {
                BlobDownloadStreamingResult download = (await blobs.GetBlobContainerClient(source.Container).Open(source.Name).DownloadStreamingAsync(
                    new BlobDownloadOptions { Conditions = source.VersionConditions() })).Value;
                await using Stream content = download.Content;
                current = (rejectedContainer, source.Name);
                await container.Open(source.Name).UploadAsync(
                    content,
                    new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = download.Details.ContentType } });
            }

            current = (rejectedContainer, reasonName);
            await BlobJson.UploadAsync(container.Open(reasonName), reason);
        }
        catch (RequestFailedException ex) when (StorageErrors.IsPermanent(ex))
        {
            throw StorageErrors.Explain(ex, current.Container, current.Name);
        }

        return $"{rejectedContainer}/{reasonName}";
    }
}

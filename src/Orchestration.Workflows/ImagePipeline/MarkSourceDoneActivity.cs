using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.DurableTask;
using Orchestration.Workflows.Storage;

namespace Orchestration.Workflows.ImagePipeline;

/// <summary>
/// Marks the source done: the blob stays in its container and gets blob index tags
/// <c>orchestration_status=processed|rejected</c> and <c>orchestration_instance={instance id}</c>. Tags, not metadata:
/// setting metadata gives the blob a new ETag, which a blob trigger sees as a new version and processes again; tags
/// leave the ETag alone. The version is checked (If-Match) just before tagging; a blob replaced in between gets its own
/// run anyway. Returns false when the blob changed or vanished meanwhile, true when marked. An HTTP re-run of a marked
/// version finds the tag in <see cref="InspectImageActivity"/> and ends <see cref="ImageOutcome.AlreadyDone"/>.
/// </summary>
public sealed class MarkSourceDoneActivity(BlobServiceClient blobs) : TaskActivity<MarkRequest, bool>
{
    public const string StatusKey = "orchestration_status";
    public const string InstanceKey = "orchestration_instance";

    public override async Task<bool> RunAsync(TaskActivityContext context, MarkRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        BlobRef source = input.Source;
        BlobClient blob = blobs.GetBlobContainerClient(source.Container).Open(source.Name);
        try
        {
            BlobProperties properties = (await blob.GetPropertiesAsync(
                source.VersionConditions())).Value;
            var tags = new Dictionary<string, string>(StringComparer.Ordinal);
            if (properties.TagCount > 0)
            {
                foreach ((string key, string value) in (await blob.GetTagsAsync()).Value.Tags)
                {
                    tags[key] = value;
                }
            }

            tags[StatusKey] = input.Outcome.ToString().ToLowerInvariant();
            tags[InstanceKey] = context.InstanceId;
            await blob.SetTagsAsync(tags);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return false;
        }
        catch (RequestFailedException ex) when (StorageErrors.IsPermanent(ex))
        {
            throw StorageErrors.Explain(ex, source.Container, source.Name);
        }
    }
}

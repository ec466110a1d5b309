using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.DurableTask;

namespace Orchestration.Workflows.FraudScan;

/// <summary>Deletes a finished scan instance's partitions and partition alerts (its work folder, <see cref="ScanWork.Folder"/>); returns how many blobs went.</summary>
public sealed class DeleteScanWorkActivity(BlobServiceClient blobs, FraudScanDefinition definition) : TaskActivity<string, int>
{
    public override async Task<int> RunAsync(TaskActivityContext context, string input)
    {
        ArgumentException.ThrowIfNullOrEmpty(input);
        BlobContainerClient container = blobs.GetBlobContainerClient(definition.Containers.Work);
        if (!(await container.ExistsAsync()).Value)
        {
            return 0;
        }

        int deleted = 0;
        await foreach (BlobItem item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = $"{input}/" }))
        {
            // A retried run may find some already gone: that is what it wanted.
            deleted += (await container.DeleteBlobIfExistsAsync(item.Name)).Value ? 1 : 0;
        }

        return deleted;
    }
}

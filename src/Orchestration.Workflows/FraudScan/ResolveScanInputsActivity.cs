using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.DurableTask;
using Orchestration.Workflows.Storage;

namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// Pins a scan's inputs to exact versions — the named blobs (a missing one is an error that names it), every blob under
/// the prefix and under the news prefix — and derives from them the scan id (a hash of every container, name and ETag
/// and of the rule settings: the same inputs under the same rules are the same scan) and the partition count (one per
/// <see cref="FraudScanDefinition.PartitionTargetBytes"/> of input, within the definition's maximum). A named blob whose
/// name breaks the name rule (<see cref="BlobNames.Problem"/>) is not addressed: it is planned as it came (0 bytes), and
/// the scan rejects it without reading it.
/// </summary>
public sealed class ResolveScanInputsActivity(BlobServiceClient blobs, FraudScanDefinition definition) : TaskActivity<ResolveScanRequest, ScanPlan>
{
    public override async Task<ScanPlan> RunAsync(TaskActivityContext context, ResolveScanRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        BlobContainerClient container = blobs.GetBlobContainerClient(input.Container);
        var files = new SortedDictionary<string, ScanFile>(StringComparer.Ordinal);
        foreach (string name in input.Names)
        {
            files[name] = await PinAsync(container, name, input.Names.Count == 1 ? input.ETag : null);
        }

        foreach (string? prefix in new[] { input.Prefix, input.NewsPrefix })
        {
            if (prefix is not null)
            {
                await foreach (ScanFile file in ListAsync(container, prefix))
                {
                    files[file.Blob.Name] = file;
                }
            }
        }

        long bytes = files.Values.Sum(f => f.Bytes);
        int partitions = (int)Math.Clamp((bytes + definition.PartitionTargetBytes - 1) / definition.PartitionTargetBytes, 1, definition.Partitions);
        return new ScanPlan(ScanId(files.Values), [.. files.Values], partitions);
    }

    /// <summary>32 hex digits of SHA-256 over every input version and the rule settings.</summary>
    string ScanId(IEnumerable<ScanFile> files)
    {
        var text = new StringBuilder(definition.Fingerprint());
        foreach (ScanFile file in files)
        {
            text.Append('\n').Append(file.Blob.Container).Append('\n').Append(file.Blob.Name).Append('\n').Append(file.Blob.ETag);
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())).AsSpan(0, 16));
    }

    static async Task<ScanFile> PinAsync(BlobContainerClient container, string name, string? etag)
    {
        var blob = new BlobRef(container.Name, name, etag);
        if (BlobNames.Problem(name) is not null)
        {
            return new ScanFile(blob, 0);
        }

        try
        {
            BlobProperties properties = (await container.Open(name).GetPropertiesAsync(blob.VersionConditions())).Value;
            return new ScanFile(blob with { ETag = BlobRef.QuotedETag(properties.ETag) }, properties.ContentLength);
        }
        catch (RequestFailedException ex) when (StorageErrors.IsPermanent(ex))
        {
            throw StorageErrors.Explain(ex, container.Name, name);
        }
    }

    static async IAsyncEnumerable<ScanFile> ListAsync(BlobContainerClient container, string prefix)
    {
        IAsyncEnumerable<BlobItem> items;
        try
        {
            if (!(await container.ExistsAsync()).Value)
            {
                yield break;
            }

            items = container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix.Length == 0 ? null : prefix });
        }
        catch (RequestFailedException ex) when (StorageErrors.IsPermanent(ex))
        {
            throw StorageErrors.Explain(ex, container.Name, prefix);
        }

        await foreach (BlobItem item in items)
        {
            if (item.Properties.ETag is { } etag)
            {
                yield return new ScanFile(new BlobRef(container.Name, item.Name, BlobRef.QuotedETag(etag)), item.Properties.ContentLength ?? 0);
            }
        }
    }
}

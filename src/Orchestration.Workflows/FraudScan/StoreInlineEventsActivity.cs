using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.DurableTask;
using Orchestration.Workflows.Storage;

namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// Stores an inline batch as JSON-lines files in the work container, <c>inline/{SHA-256 of the content}/events.jsonl</c>
/// (and <c>news.jsonl</c> when there is news), so it is read, validated and scanned exactly like an uploaded file. Written
/// only if absent: the same batch again is the same blob version, hence the same scan id and report.
/// </summary>
public sealed class StoreInlineEventsActivity(BlobServiceClient blobs, FraudScanDefinition definition) : TaskActivity<StoreInlineRequest, IReadOnlyList<BlobRef>>
{
    public override async Task<IReadOnlyList<BlobRef>> RunAsync(TaskActivityContext context, StoreInlineRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        byte[] events = JsonLines(input.Events);
        byte[] news = JsonLines(input.News);
        string folder = $"inline/{Convert.ToHexStringLower(SHA256.HashData([.. events, .. news]))}";
        BlobContainerClient container = blobs.GetBlobContainerClient(definition.Containers.Work);
        await container.CreateIfNotExistsAsync();
        var stored = new List<BlobRef> { await StoreAsync(container, $"{folder}/events.jsonl", events) };
        if (input.News.Count > 0)
        {
            stored.Add(await StoreAsync(container, $"{folder}/news.jsonl", news));
        }

        return stored;
    }

    static byte[] JsonLines(IReadOnlyList<JsonElement> items)
    {
        var text = new StringBuilder();
        foreach (JsonElement item in items)
        {
            text.Append(item.GetRawText().ReplaceLineEndings(" ")).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    static async Task<BlobRef> StoreAsync(BlobContainerClient container, string name, byte[] content)
    {
        BlobClient blob = container.GetBlobClient(name);
        try
        {
            BlobContentInfo info = (await blob.UploadAsync(new BinaryData(content), new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/x-ndjson" },
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            })).Value;
            return new BlobRef(container.Name, name, BlobRef.QuotedETag(info.ETag));
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Stored by an earlier run of the same batch: that version it is.
            return new BlobRef(container.Name, name, BlobRef.QuotedETag((await blob.GetPropertiesAsync()).Value.ETag));
        }
    }
}

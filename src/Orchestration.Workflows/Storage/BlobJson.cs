using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Orchestration.Workflows.Durable;

namespace Orchestration.Workflows.Storage;

/// <summary>Writes a value as a JSON blob (the API's JSON shape, content type application/json), overwriting.</summary>
public static class BlobJson
{
    public static Task UploadAsync<T>(BlobClient blob, T value)
    {
        ArgumentNullException.ThrowIfNull(blob);
        return blob.UploadAsync(
            BinaryData.FromObjectAsJson(value, DurableJson.Options),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } });
    }
}

using System.Text.Json;

namespace Orchestration.Workflows.Triggers;

/// <summary>
/// The queue where blob triggers park what failed five times. Same name and message shape as the Functions host's
/// (<c>webjobs-blobtrigger-poison</c>), so one API lists both; the local host adds the failure's reason.
/// </summary>
public static class PoisonQueue
{
    public const string Name = "webjobs-blobtrigger-poison";

    public sealed record Message(string Type, string FunctionId, string BlobType, string ContainerName, string BlobName, string ETag, string? Reason);

    public static BinaryData Create(string functionId, string container, string blobName, string etag, string reason) =>
        BinaryData.FromObjectAsJson(new Message("BlobTrigger", functionId, "BlockBlob", container, blobName, etag, reason));

    public static Http.PoisonBlob Parse(BinaryData body, DateTimeOffset? insertedOn)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            using var document = JsonDocument.Parse(body);
            JsonElement root = document.RootElement;
            return new Http.PoisonBlob(Get(root, "FunctionId"), Get(root, "ContainerName"), Get(root, "BlobName"), Get(root, "ETag"), Get(root, "Reason"), insertedOn);
        }
        catch (JsonException)
        {
            return new Http.PoisonBlob(null, null, null, null, $"unreadable poison message: {body}", insertedOn);
        }
    }

    static string? Get(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}

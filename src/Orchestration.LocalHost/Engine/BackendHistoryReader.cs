using System.Text.Json;
using System.Text.Json.Nodes;
using DurableTask.Core.History;
using Microsoft.DurableTask.Client;
using Orchestration.Workflows.Durable;
using Orchestration.Workflows.Http;

namespace Orchestration.LocalHost.Engine;

/// <summary>
/// Reads an instance's history straight from the backend: the sidecar only streams history to the worker mid-execution,
/// not to clients. The backend writes DurableTask.Core events as Newtonsoft JSON (PascalCase, numeric event types); they
/// are reshaped to the API's JSON (camelCase, event types by name), as the Functions host's history reads.
/// </summary>
internal sealed class BackendHistoryReader(DurableEngine engine) : IHistoryReader
{
    public async Task<IReadOnlyList<JsonElement>> ReadAsync(DurableTaskClient client, string instanceId, CancellationToken cancellationToken)
    {
        string json;
        try
        {
            json = await engine.BackendClient.GetOrchestrationHistoryAsync(instanceId, executionId: null!);
        }
        catch (NotImplementedException ex)
        {
            throw new NotSupportedException($"the {engine.Backend} backend keeps no readable history; use the AzureStorage backend", ex);
        }

        JsonNode? root = JsonNode.Parse(json);
        IEnumerable<JsonNode?> events = root is JsonArray array ? array : [root];
        return events.Select(e => JsonSerializer.SerializeToElement(Reshape(e), DurableJson.Options)).ToList();
    }

    static JsonNode? Reshape(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var result = new JsonObject();
                foreach ((string key, JsonNode? value) in obj)
                {
                    if (key.StartsWith('$'))
                    {
                        continue; // Newtonsoft type annotations
                    }

                    string name = JsonNamingPolicy.CamelCase.ConvertName(key);
                    result[name] = name == "eventType" && value is JsonValue v && v.TryGetValue(out int type) && Enum.IsDefined((EventType)type)
                        ? JsonValue.Create(((EventType)type).ToString())
                        : Reshape(value);
                }

                return result;
            case JsonArray items:
                return new JsonArray(items.Select(Reshape).ToArray());
            default:
                return node?.DeepClone();
        }
    }
}

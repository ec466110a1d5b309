using System.Text.Json;
using Microsoft.DurableTask.Client;
using Orchestration.Workflows.Http;

namespace Orchestration.LocalHost.Engine;

/// <summary>
/// Reads an instance's history straight from the backend: the sidecar only streams history to the worker mid-execution,
/// not to clients. The events are the backend's own JSON (DurableTask.Core history events).
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

        using var document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind == JsonValueKind.Array
            ? document.RootElement.EnumerateArray().Select(e => e.Clone()).ToList()
            : [document.RootElement.Clone()];
    }
}

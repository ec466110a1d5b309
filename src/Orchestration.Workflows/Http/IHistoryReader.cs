using System.Text.Json;
using Microsoft.DurableTask.Client;
using Orchestration.Workflows.Durable;

namespace Orchestration.Workflows.Http;

/// <summary>Reads an instance's history for <c>showHistory=true</c>. Throws <see cref="NotSupportedException"/> where the host cannot.</summary>
public interface IHistoryReader
{
    Task<IReadOnlyList<JsonElement>> ReadAsync(DurableTaskClient client, string instanceId, CancellationToken cancellationToken);
}

/// <summary>History through the Durable Task client (what the Functions host serves).</summary>
public sealed class ClientHistoryReader : IHistoryReader
{
    public async Task<IReadOnlyList<JsonElement>> ReadAsync(DurableTaskClient client, string instanceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        IList<DurableTask.Core.History.HistoryEvent> events = await client.GetOrchestrationHistoryAsync(instanceId, cancellationToken);
        return events.Select(e => JsonSerializer.SerializeToElement(e, e.GetType(), DurableJson.Options)).ToList();
    }
}

using Microsoft.DurableTask.Client;
using Orchestration.Workflows.Catalog;
using Orchestration.Workflows.Storage;
using Orchestration.Workflows.Triggers;

namespace Orchestration.LocalHost.Triggers;

/// <summary>What the blob watcher does with one new blob version; returns the instance id. Tests swap it to force failures.</summary>
internal interface IBlobTriggerHandler
{
    Task<string> HandleAsync(BlobTriggerDefinition trigger, BlobRef blob, CancellationToken cancellationToken);
}

/// <summary>The real thing, as in the Functions [BlobTrigger] wrapper: start (or find) the trigger's orchestration.</summary>
internal sealed class StarterBlobTriggerHandler(BlobTriggerStarter starter, DurableTaskClient client) : IBlobTriggerHandler
{
    public Task<string> HandleAsync(BlobTriggerDefinition trigger, BlobRef blob, CancellationToken cancellationToken) =>
        starter.StartAsync(client, trigger, blob, cancellationToken);
}

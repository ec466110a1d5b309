using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Orchestration.Workflows.Catalog;
using Orchestration.Workflows.FraudScan;
using Orchestration.Workflows.Storage;
using Orchestration.Workflows.Triggers;

namespace Orchestration.Functions;

/// <summary>
/// Blob triggers and timers. Each blob trigger only starts its workflow, under an id derived from the blob's ETag, so a
/// re-delivery is harmless.
/// </summary>
public sealed class Triggers(BlobTriggerStarter starter, Housekeeping housekeeping, DailyFraudScan dailyFraudScan)
{
    // How the host learns of new blobs, fixed at build time because an attribute needs a constant. By default it scans
    // the containers, which is what Azurite and `func start` can do. deploy/package.sh publishes with
    // -p:BlobTriggerSource=EventGrid: in Azure, Event Grid pushes BlobCreated events to the blobs extension's webhook
    // (deploy/deploy.sh creates the subscriptions), faster and without container scans.
#if BLOB_TRIGGER_EVENT_GRID
    const BlobTriggerSource Source = BlobTriggerSource.EventGrid;
#else
    const BlobTriggerSource Source = BlobTriggerSource.LogsAndContainerScan;
#endif

    [Function(BlobTriggerFunctions.SamplesIn)]
    public Task SamplesIn(
        [BlobTrigger(BlobTriggerFunctions.SamplesInPath, Source = Source)] BlobClient blob,
        string name,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        StartAsync(BlobTriggerFunctions.SamplesIn, blob, name, client, context);

    [Function(BlobTriggerFunctions.ImagesIn)]
    public Task ImagesIn(
        [BlobTrigger(BlobTriggerFunctions.ImagesInPath, Source = Source)] BlobClient blob,
        string name,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        StartAsync(BlobTriggerFunctions.ImagesIn, blob, name, client, context);

    [Function(BlobTriggerFunctions.MarketEvents)]
    public Task MarketEvents(
        [BlobTrigger(BlobTriggerFunctions.MarketEventsPath, Source = Source)] BlobClient blob,
        string name,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        StartAsync(BlobTriggerFunctions.MarketEvents, blob, name, client, context);

    [Function(DailyFraudScan.FunctionName)]
    public Task DailyFraudScanTimer(
        [TimerTrigger("%" + DailyFraudScan.ScheduleSetting + "%")] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        dailyFraudScan.StartAsync(client, DateTimeOffset.UtcNow, context.CancellationToken);

    [Function(Housekeeping.FunctionName)]
    public Task HousekeepingTimer(
        [TimerTrigger("%" + Housekeeping.ScheduleSetting + "%")] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        housekeeping.PurgeAsync(client, DateTimeOffset.UtcNow, context.CancellationToken);

    async Task StartAsync(string function, BlobClient blob, string name, DurableTaskClient client, FunctionContext context)
    {
        BlobTriggerDefinition trigger = WorkflowCatalog.BlobTriggers.Single(t => t.FunctionName == function);
        string container = trigger.Container;
        if (BlobNames.Problem(name) is not null)
        {
            // The bound client's URL may address another blob or container (System.Uri resolves '..'): never read through
            // it. The workflow gets the name as data and ends Rejected with a reason file (image pipeline) or a clear error.
            await starter.StartAsync(client, trigger, new BlobRef(container, name), context.CancellationToken);
            return;
        }

        BlobProperties properties = (await blob.GetPropertiesAsync(cancellationToken: context.CancellationToken)).Value;
        await starter.StartAsync(client, trigger, new BlobRef(container, name, properties.ETag.ToString()), context.CancellationToken);
    }
}

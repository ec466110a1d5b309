using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.DurableTask;
using Orchestration.Workflows.Storage;

namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// Scans one partition: reads its blob from every file that has one (events and news of whole symbols), runs the
/// enabled rules over each symbol (<see cref="SymbolScanner"/>) and writes the alerts to <see cref="ScanWork.AlertsBlob"/>
/// for the report. Only counts travel back through the orchestration; a re-run writes the same alerts. It holds its
/// partition in memory, so it waits for a <see cref="ScanGate"/> slot before reading it.
/// </summary>
public sealed class ScanPartitionActivity(BlobServiceClient blobs, FraudScanDefinition definition, ScanGate gate) : TaskActivity<ScanPartitionRequest, PartitionScan>
{
    public override async Task<PartitionScan> RunAsync(TaskActivityContext context, ScanPartitionRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using ConcurrencyGate.Lease slot = await gate.EnterAsync();
        BlobContainerClient work = blobs.GetBlobContainerClient(definition.Containers.Work);
        var scanner = new SymbolScanner();
        string name = string.Empty;
        try
        {
            foreach (int file in input.FileIndexes)
            {
                name = ScanWork.PartitionBlob(input.Work, file, input.Partition);
                // One streaming GET, as PartitionFileActivity reads its file: storage sends while the partition is
                // decoded, instead of the decoder waiting for each of a read stream's ranged GETs in turn.
                BlobDownloadStreamingResult download = (await work.GetBlobClient(name).DownloadStreamingAsync()).Value;
                await using Stream partition = download.Content;
                await Task.Run(() => PartitionReader.Read(partition, scanner));
            }

            IReadOnlyList<Alert> alerts = scanner.Scan(RuleSet.From(definition).Rules);
            name = ScanWork.AlertsBlob(input.Work, input.Partition);
            await BlobJson.UploadAsync(work.GetBlobClient(name), alerts);
            return new PartitionScan(input.Partition, scanner.Symbols, scanner.Events, alerts.Count);
        }
        catch (RequestFailedException ex) when (StorageErrors.IsPermanent(ex))
        {
            throw StorageErrors.Explain(ex, work.Name, name);
        }
    }
}

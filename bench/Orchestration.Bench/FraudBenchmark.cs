using System.Text.Json;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestration.LocalHost.Azurite;
using Orchestration.Workflows.Durable;
using Orchestration.Workflows.FraudScan;
using static Orchestration.Bench.BenchArgs;

namespace Orchestration.Bench;

/// <summary>What the end-to-end run measured, with the partition count the scan chose.</summary>
internal sealed record ScanFigures(Stretch Upload, ScanRun Scan, int Partitions, HostMemory Memory, long AzuritePeakBytes);

/// <summary>
/// <c>fraud</c> mode: a generated market day scanned end to end on the local host with Azurite (upload, then
/// <c>POST /api/workflows/fraud-scan</c> → Completed) against a bare single-threaded parse + rules loop over the same
/// file in the same run. The host runs as its own process, so its peak working set is the scan's alone; the report it
/// writes must be the bare loop's alerts, byte for byte, or nothing is reported.
/// Usage: <c>dotnet run -c Release --project bench/Orchestration.Bench -- fraud [--events 10000000] [--azurite-in-memory] [--Section:Key=value ...]</c>;
/// configuration arguments go to the host. Azurite keeps its blobs on disk by default: in memory, the day and its
/// partitions took it to 2 GB and cost it more CPU per byte (partition step 36 s against 30 s on disk).
/// </summary>
internal static class FraudBenchmark
{
    /// <summary>A small day run through both first, so JIT, connections and partition leases are not timed.</summary>
    const int WarmUpEvents = 50_000;

    public static async Task RunAsync(string[] args)
    {
        int events = Int(args, "--events", 10_000_000);
        bool azuriteOnDisk = !args.Contains("--azurite-in-memory");
        string[] hostSettings = HostSettings(args);
        FraudScanDefinition definition = FraudScanDefinitionLoader.Load(FraudScanDefinitionLoader.DefaultPath);

        Progress($"generating {events:N0} events …");
        using FraudDay warmUp = FraudDay.Generate(WarmUpEvents, seed: 7);
        using FraudDay day = FraudDay.Generate(events, seed: 42);

        Progress("bare loop …");
        BareFraudLoop.Measure(warmUp, definition); // JIT and tiering settle on the small day, as the host's do in its warm-up
        BareFraudFigures bare = BareFraudLoop.Measure(day, definition);
        ScanFigures scan = await MeasureScanAsync(definition, day, warmUp, bare.Alerts, azuriteOnDisk, hostSettings);

        FraudReport.Print(new FraudReport.Setup(day, azuriteOnDisk, hostSettings), bare, scan);
    }

    static async Task<ScanFigures> MeasureScanAsync(
        FraudScanDefinition definition, FraudDay day, FraudDay warmUp, IReadOnlyList<Alert> expected, bool azuriteOnDisk, string[] hostSettings)
    {
        Progress($"scan: starting Azurite ({(azuriteOnDisk ? "on disk" : "in memory")}) and the local host …");
        string azuriteData = Path.Combine(Path.GetTempPath(), $"fraud-bench-azurite-{Guid.NewGuid():N}");
        try
        {
            await using AzuriteLauncher azurite = await AzuriteLauncher.StartAsync(
                new AzuriteLaunchOptions { InMemory = !azuriteOnDisk, DataDirectory = azuriteData }, NullLogger.Instance, CancellationToken.None);
            await using HostProcess host = await HostProcess.StartAsync(
            [
                $"--AzureWebJobsStorage={azurite.ConnectionString}",
                "--Durable:Backend=AzureStorage",
                $"--Durable:TaskHub=BenchFraud{Guid.NewGuid():N}",
                "--Durable:WorkerId=bench",
                "--LocalHost:BlobTriggers=false",
                "--LocalHost:Timers=false",
                "--Logging:LogLevel:Default=Warning",
                .. hostSettings,
            ]);
            await using MemoryMeter memory = MemoryMeter.Watch(host.Id);
            var driver = new FraudScanDriver(new BlobServiceClient(azurite.ConnectionString), host, azurite.ProcessId);
            long idleBytes = memory.CurrentBytes;

            Progress($"scan: warm-up ({warmUp.Events:N0} events) …");
            await driver.UploadAsync(warmUp, "warm-up");
            await driver.ScanAsync("warm-up");
            long warmBytes = memory.CurrentBytes;

            Progress($"scan: uploading {day.Bytes / 1e6:N0} MB …");
            Stretch upload = await driver.UploadAsync(day, "day");
            Progress("scan: scanning …");
            ScanRun scan = await driver.ScanAsync("day");
            await VerifyAsync(driver, definition, scan, day, expected);
            JsonElement summary = JsonSerializer.Deserialize<JsonElement>(await driver.ReportTextAsync(scan.ScanId, "summary.json", definition));

            return new ScanFigures(
                upload,
                scan,
                summary.GetProperty("partitions").GetInt32(),
                new HostMemory(idleBytes, warmBytes, memory.PeakBytes, memory.MaxSampledBytes),
                MemoryMeter.PeakOf(azurite.ProcessId));
        }
        finally
        {
            if (Directory.Exists(azuriteData))
            {
                Directory.Delete(azuriteData, recursive: true);
            }
        }
    }

    /// <summary>The scan's report must be the bare loop's: every event scanned, the same alerts in the same order, the same bytes.</summary>
    static async Task VerifyAsync(FraudScanDriver driver, FraudScanDefinition definition, ScanRun scan, FraudDay day, IReadOnlyList<Alert> expected)
    {
        long scanned = scan.Output.GetProperty("eventsScanned").GetInt64();
        int alerts = scan.Output.GetProperty("alerts").GetInt32();
        bool sameReport = await driver.ReportTextAsync(scan.ScanId, "alerts.json", definition) == JsonSerializer.Serialize(expected, DurableJson.Options);
        if (scanned != day.Events || alerts != expected.Count || !sameReport)
        {
            throw new InvalidOperationException(
                $"The scan's report is not the bare loop's: {scanned:N0} events scanned of {day.Events:N0}, {alerts} alerts against {expected.Count}, "
                + $"alerts.json {(sameReport ? "identical" : "different")}. Output: {scan.Output}");
        }
    }
}

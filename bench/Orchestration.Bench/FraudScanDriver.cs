using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Orchestration.Workflows.FraudScan;

namespace Orchestration.Bench;

/// <summary>A stretch of the end-to-end run: wall time, and the CPU the host and Azurite burned meanwhile.</summary>
internal sealed record Stretch(string Name, TimeSpan Elapsed, CpuSnapshot Cpu);

/// <summary>A finished scan: its stretch (POST → Completed seen), each stage's, and its output.</summary>
internal sealed record ScanRun(Stretch Total, IReadOnlyList<Stretch> Stages, string InstanceId, JsonElement Output)
{
    public string ScanId => Output.GetProperty("scanId").GetString()!;
}

/// <summary>
/// Drives the fraud scan from outside, as a user does: uploads a day into <c>market-events/{folder}/</c>, then
/// <c>POST /api/workflows/fraud-scan {"prefix": "{folder}/"}</c> and polls the instance every 100 ms until it has finished.
/// Each poll reads the custom status; when its stage changes, the time and both processes' CPU are noted, which gives
/// each stage's wall time and CPU. A scan that does not complete with a report throws: its figures would mean nothing.
/// </summary>
internal sealed class FraudScanDriver(BlobServiceClient blobs, HostProcess host, int azuriteId)
{
    static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <summary>Far beyond a 10-million-event scan on this machine: what would mean the scan is stuck.</summary>
    static readonly TimeSpan Timeout = TimeSpan.FromMinutes(20);

    /// <summary>Blocks of 8 MiB, 4 at a time: large blocks keep Azurite's per-request cost small against the bytes.</summary>
    static readonly StorageTransferOptions Transfer = new() { MaximumConcurrency = 4, InitialTransferSize = 8 << 20, MaximumTransferSize = 8 << 20 };

    readonly BlobContainerClient input = blobs.GetBlobContainerClient(FraudScanOrchestrator.InputContainer);

    public async Task<Stretch> UploadAsync(FraudDay day, string folder)
    {
        await input.CreateIfNotExistsAsync();
        CpuSnapshot cpu = Cpu();
        long start = Stopwatch.GetTimestamp();
        foreach (string file in new[] { day.EventsFile, day.NewsFile })
        {
            await input.GetBlobClient($"{folder}/{Path.GetFileName(file)}").UploadAsync(file, new BlobUploadOptions { TransferOptions = Transfer });
        }

        return new Stretch("upload to market-events", Stopwatch.GetElapsedTime(start), Cpu().Since(cpu));
    }

    /// <summary>Scans everything under <paramref name="folder"/> and checks that it completed <see cref="ScanOutcome.Reported"/>.</summary>
    public async Task<ScanRun> ScanAsync(string folder)
    {
        CpuSnapshot startCpu = Cpu();
        long start = Stopwatch.GetTimestamp();
        using HttpResponseMessage started = await host.Api.PostAsJsonAsync(new Uri("api/workflows/fraud-scan", UriKind.Relative), new { prefix = $"{folder}/" });
        string body = await started.Content.ReadAsStringAsync();
        if (started.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"The scan did not start: {(int)started.StatusCode} {body}");
        }

        string instanceId = JsonSerializer.Deserialize<JsonElement>(body).GetProperty("id").GetString()!;
        var marks = new List<(string Stage, TimeSpan At, CpuSnapshot Cpu)> { ("POST, instance started", TimeSpan.Zero, startCpu) };
        JsonElement status;
        while (true)
        {
            host.ThrowIfExited();
            using HttpResponseMessage response = await host.Api.GetAsync(new Uri($"api/instances/{instanceId}", UriKind.Relative));
            status = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());
            string stage = response.StatusCode == HttpStatusCode.OK ? "done" : StageOf(status);
            if (stage != marks[^1].Stage)
            {
                marks.Add((stage, Stopwatch.GetElapsedTime(start), Cpu()));
            }

            if (response.StatusCode == HttpStatusCode.OK)
            {
                break;
            }

            if (Stopwatch.GetElapsedTime(start) > Timeout)
            {
                throw new TimeoutException($"The scan did not finish within {Timeout.TotalMinutes} minutes: {status}{Environment.NewLine}{host.RecentOutput}");
            }

            await Task.Delay(Poll);
        }

        JsonElement output = status.GetProperty("output");
        if (status.GetProperty("runtimeStatus").GetString() != "Completed" || output.GetProperty("outcome").GetString() != nameof(ScanOutcome.Reported))
        {
            throw new InvalidOperationException($"The scan did not complete with a report: {status}{Environment.NewLine}{host.RecentOutput}");
        }

        // A stage runs from its first sighting to the next one's, so the stages add up to the total; one too short for a poll to see has no row.
        var stages = marks.Zip(marks.Skip(1), (from, to) => new Stretch(from.Stage, to.At - from.At, to.Cpu.Since(from.Cpu))).ToList();
        return new ScanRun(new Stretch("scan: POST → Completed", marks[^1].At, marks[^1].Cpu.Since(startCpu)), stages, instanceId, output);
    }

    /// <summary>A file of the scan's report, as text.</summary>
    public async Task<string> ReportTextAsync(string scanId, string file, FraudScanDefinition definition) =>
        (await blobs.GetBlobContainerClient(definition.Containers.Reports).GetBlobClient($"{scanId}/{file}").DownloadContentAsync()).Value.Content.ToString();

    CpuSnapshot Cpu() => CpuSnapshot.Of(host.Id, azuriteId);

    static string StageOf(JsonElement status) =>
        status.TryGetProperty("customStatus", out JsonElement custom) && custom.ValueKind == JsonValueKind.Object ? custom.GetProperty("stage").GetString()! : "queued";
}

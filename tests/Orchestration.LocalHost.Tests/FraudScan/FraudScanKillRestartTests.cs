using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Orchestration.LocalHost.Tests.Durability;
using Orchestration.LocalHost.Tests.Engine;
using Orchestration.LocalHost.Tests.Infrastructure;
using Orchestration.Workflows.FraudScan;

namespace Orchestration.LocalHost.Tests.FraudScan;

/// <summary>A scan whose host is SIGKILLed mid-way and started again ends with the same report a clean run writes.</summary>
// Alone: a SIGKILL test measures recovery, and recovery on a box saturated by other hosts and one Azurite (lease
// renewals timing out, work-item locks lapsing) is a different, slower experiment.
[TestClass]
[DoNotParallelize]
public sealed class FraudScanKillRestartTests
{
    const int Files = 8;

    public TestContext TestContext { get; set; } = null!;

    CancellationToken Cancel => TestContext.CancellationToken;

    [TestMethod]
    public async Task Scan_HostKilledMidScanAndRestarted_SameReportAsASingleProcessScan()
    {
        var blobs = new BlobServiceClient(Infrastructure.Azurite.ConnectionString);
        BlobContainerClient input = blobs.GetBlobContainerClient(FraudScanOrchestrator.InputContainer);
        await input.CreateIfNotExistsAsync(cancellationToken: Cancel);
        string folder = $"kill-{Guid.NewGuid():N}";
        (byte[] events, byte[] news) = FraudScanEndToEndTests.GeneratedDay(events: 160_000, seed: 23);
        string[] lines = Encoding.UTF8.GetString(events).TrimEnd('\n').Split('\n');
        int perFile = (lines.Length - 1 + Files - 1) / Files;
        for (int i = 0; i < Files; i++)
        {
            string body = lines[0] + "\n" + string.Join('\n', lines.Skip(1 + (i * perFile)).Take(perFile)) + "\n";
            await input.GetBlobClient($"{folder}/events-{i}.csv").UploadAsync(BinaryData.FromString(body), Cancel);
        }

        await input.GetBlobClient($"{folder}/news.csv").UploadAsync(BinaryData.FromBytes(news), Cancel);

        // One activity at a time: the scan takes long enough to be caught half-way.
        using var host = new KillableHost(["--Durable:MaxConcurrentActivities=1"], Cancel);
        bool passed = false;
        try
        {
            await host.StartAsync();
            using HttpResponseMessage started = await host.Http.PostAsJsonAsync("api/workflows/fraud-scan", new { prefix = $"{folder}/" }, Cancel);
            Assert.AreEqual(HttpStatusCode.Accepted, started.StatusCode, await started.Content.ReadAsStringAsync(Cancel));
            string id = (await started.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetString()!;

            string stage = await WaitForMidScanAsync(host, id);
            TestContext.WriteLine($"killing the host in stage {stage}");
            await host.KillAsync();
            await host.StartAsync();

            JsonElement done = await host.FinishedAsync(id, Instances.Long, $"scan {id} to finish after the restart");
            Assert.AreEqual("Completed", done.GetProperty("runtimeStatus").GetString(), done.ToString());
            JsonElement output = done.GetProperty("output");
            Assert.AreEqual("Reported", output.GetProperty("outcome").GetString(), output.ToString());
            Assert.AreEqual(FraudScanEndToEndTests.DataLines(events), output.GetProperty("eventsScanned").GetInt64(), "every event scanned once");
            Assert.AreEqual(
                FraudScanEndToEndTests.Json(FraudScanEndToEndTests.LocalScan(events, news)),
                await FraudScanEndToEndTests.ReportTextAsync(output.GetProperty("scanId").GetString()!, "alerts.json"));
            passed = true;
        }
        finally
        {
            if (!passed)
            {
                host.WriteOutput(TestContext);
            }
        }
    }

    /// <summary>Polls the status until the scan is partitioning or scanning; fails if it finishes first.</summary>
    async Task<string> WaitForMidScanAsync(KillableHost host, string id)
    {
        string stage = string.Empty;
        await Eventually.HoldsAsync(
            async () =>
            {
                host.AssertAlive("before the kill");
                (HttpStatusCode code, JsonElement status) = await host.GetInstanceAsync(id);
                Assert.AreNotEqual(HttpStatusCode.OK, code, "the scan finished before it could be interrupted; make it bigger");
                stage = code == HttpStatusCode.Accepted && status.TryGetProperty("customStatus", out JsonElement custom) && custom.ValueKind == JsonValueKind.Object
                    ? custom.GetProperty("stage").GetString() ?? string.Empty
                    : string.Empty;
                return stage is "partition" or "scan";
            },
            Instances.Long,
            "the scan to be partitioning or scanning");
        return stage;
    }
}

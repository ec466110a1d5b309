using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Orchestration.LocalHost.Engine;
using Orchestration.LocalHost.Tests.Infrastructure;
using Orchestration.LocalHost.Tests.Triggers;
using Orchestration.Workflows.FraudScan;
using Orchestration.Workflows.Storage;
using Orchestration.Workflows.Triggers;
using static Orchestration.LocalHost.Tests.Triggers.TriggerTestData;

namespace Orchestration.LocalHost.Tests.FraudScan;

/// <summary>Files dropped into <c>market-events</c> on the local host with Azurite: each upload is a scan of its own.</summary>
[TestClass]
[DoNotParallelize]
public sealed class FraudScanTriggerTests : DedicatedStorageTest<FraudScanTriggerTests>
{
    [TestMethod]
    public async Task DayFolderUpload_ScannedWithTheDaysNews_NewsUploadItselfSkipped()
    {
        await using TestHost host = await TestHost.StartAsync(
            new TestHostOptions { Backend = EngineBackend.AzureStorage, BlobTriggers = true, Settings = Storage.HostSettings(NewHostId()) },
            Ct);
        BlobContainerClient input = Storage.Blobs.GetBlobContainerClient(FraudScanOrchestrator.InputContainer);
        await input.CreateIfNotExistsAsync(cancellationToken: Ct);
        (byte[] events, byte[] news) = FraudScanEndToEndTests.GeneratedDay(events: 20_000, seed: 5);

        string newsETag = await UploadAsync(input, "news/2026-11-24/feed.csv", news);
        OrchestrationMetadata newsScan = await CompleteAsync(host, "news/2026-11-24/feed.csv", newsETag);
        string eventsETag = await UploadAsync(input, "2026-11-24/desk.csv", events);
        OrchestrationMetadata scan = await CompleteAsync(host, "2026-11-24/desk.csv", eventsETag);

        Assert.AreEqual(ScanOutcome.Skipped, newsScan.ReadOutputAs<FraudScanResult>()!.Outcome, newsScan.SerializedOutput);
        FraudScanResult result = scan.ReadOutputAs<FraudScanResult>()!;
        Assert.AreEqual(ScanOutcome.Reported, result.Outcome, scan.SerializedOutput);
        Assert.AreEqual(2, result.Files, "the events file and the day's news");
        string alerts = (await Storage.Blobs.GetBlobContainerClient("fraud-reports").GetBlobClient($"{result.ScanId}/alerts.json").DownloadContentAsync(Ct)).Value.Content.ToString();
        Assert.AreEqual(FraudScanEndToEndTests.Json(FraudScanEndToEndTests.LocalScan(events, news)), alerts);
    }

    [TestMethod]
    public async Task SameFileScannedAtOnceByItsUploadAndByName_EveryInstanceReportsTheSameAlerts()
    {
        // Many small partitions scanned one at a time: the instances' scans queue and interleave, so one finishes (and
        // cleans up) while the others still have partitions to read.
        Dictionary<string, string> settings = Storage.HostSettings(NewHostId());
        settings[ScanGate.Setting] = "1";
        FraudScanDefinition definition = FraudScanDefinitionLoader.Load(FraudScanDefinitionLoader.DefaultPath) with { PartitionTargetBytes = 64 * 1024 };
        await using TestHost host = await TestHost.StartAsync(
            new TestHostOptions
            {
                Backend = EngineBackend.AzureStorage,
                BlobTriggers = true,
                Settings = settings,
                Configure = builder => builder.Services.AddSingleton(definition),
            },
            Ct);
        BlobContainerClient input = Storage.Blobs.GetBlobContainerClient(FraudScanOrchestrator.InputContainer);
        await input.CreateIfNotExistsAsync(cancellationToken: Ct);
        (byte[] events, _) = FraudScanEndToEndTests.GeneratedDay(events: 20_000, seed: 9);
        string name = $"concurrent-{Guid.NewGuid():N}/desk.csv";

        // The upload starts the trigger's scan; three requests by name (as the README shows) start two more of the same file.
        string etag = await UploadAsync(input, name, events);
        string[] requested = await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            using HttpResponseMessage response = await host.Http.PostAsJsonAsync(new Uri("api/workflows/fraud-scan", UriKind.Relative), new { name }, Ct);
            Assert.AreEqual(HttpStatusCode.Accepted, response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
            using JsonDocument started = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
            return started.RootElement.GetProperty("id").GetString()!;
        }));
        string triggered = BlobTriggerStarter.InstanceIdFor(FraudScanOrchestrator.Workflow, new BlobRef(FraudScanOrchestrator.InputContainer, name, etag));
        await Eventually.ReturnsAsync(() => host.Client.GetInstanceAsync(triggered, getInputsAndOutputs: false, Ct), Patience, $"the scan of {name}");
        OrchestrationMetadata[] scans = await Task.WhenAll(
            new[] { triggered }.Concat(requested).Select(id => TriggerTestData.CompleteAsync(host.Client, id, Ct, Deadlines.Long)));

        FraudScanResult[] results = [.. scans.Select(s => s.ReadOutputAs<FraudScanResult>()!)];
        foreach (FraudScanResult result in results)
        {
            Assert.AreEqual(ScanOutcome.Reported, result.Outcome, string.Join("\n", scans.Select(s => s.SerializedOutput)));
        }

        Assert.AreEqual(1, results.Select(r => r.ScanId).Distinct().Count(), "the same file is the same scan");
        Assert.AreEqual(1, results.Select(r => r.Alerts).Distinct().Count(), "every instance found the same alerts");
        string alerts = (await Storage.Blobs.GetBlobContainerClient("fraud-reports").GetBlobClient($"{results[0].ScanId}/alerts.json").DownloadContentAsync(Ct)).Value.Content.ToString();
        Assert.AreEqual(FraudScanEndToEndTests.Json(FraudScanEndToEndTests.LocalScan(events, [])), alerts);
        await using IAsyncEnumerator<BlobItem> left = Storage.Blobs.GetBlobContainerClient("fraud-work").GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{results[0].ScanId}/", Ct).GetAsyncEnumerator(Ct);
        Assert.IsFalse(await left.MoveNextAsync(), "every instance deleted its own work folder");
    }

    async Task<string> UploadAsync(BlobContainerClient input, string name, byte[] content)
    {
        BlobContentInfo info = (await input.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(content), overwrite: true, Ct)).Value;
        return Quoted(info.ETag.ToString());
    }

    /// <summary>The trigger's instance for that version (deterministic id), once it has completed.</summary>
    async Task<OrchestrationMetadata> CompleteAsync(TestHost host, string name, string etag)
    {
        string instanceId = BlobTriggerStarter.InstanceIdFor(FraudScanOrchestrator.Workflow, new BlobRef(FraudScanOrchestrator.InputContainer, name, etag));
        await Eventually.ReturnsAsync(() => host.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, Ct), Patience, $"the scan of {name}");
        return await TriggerTestData.CompleteAsync(host.Client, instanceId, Ct, Patience);
    }
}

using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.DurableTask.Client;
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

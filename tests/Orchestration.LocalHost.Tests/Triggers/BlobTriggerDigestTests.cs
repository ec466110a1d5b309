using System.Diagnostics;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Microsoft.DurableTask.Client;
using Orchestration.LocalHost.Engine;
using Orchestration.LocalHost.Tests.Infrastructure;
using Orchestration.LocalHost.Triggers;
using Orchestration.Workflows.Samples;
using Orchestration.Workflows.Triggers;
using static Orchestration.LocalHost.Tests.Triggers.TriggerTestData;

namespace Orchestration.LocalHost.Tests.Triggers;

/// <summary>Uploads to <c>samples-in</c> start <c>blob-digest</c> on the real engine (Azure Storage backend) and produce the right digest.</summary>
[TestClass]
public sealed class BlobTriggerDigestTests : DedicatedStorageTest<BlobTriggerDigestTests>
{
    [TestMethod]
    public async Task Upload_NewBlob_StartsDigestWithMatchingSha256AndWritesOutput()
    {
        string hostId = NewHostId();
        await using TestHost host = await TestHost.StartAsync(
            new TestHostOptions { Backend = EngineBackend.AzureStorage, BlobTriggers = true, Settings = Storage.HostSettings(hostId) },
            Ct);
        string name = UniqueName("digest");
        byte[] content = RandomBytes(200_000);

        string etag = await Storage.UploadAsync(name, content, Ct);
        var sinceUpload = Stopwatch.StartNew();
        string instanceId = InstanceIdFor(name, etag);
        OrchestrationMetadata created = await Eventually.ReturnsAsync(
            () => host.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, Ct),
            Patience,
            $"instance {instanceId} for {name}");
        TimeSpan latency = sinceUpload.Elapsed;
        OrchestrationMetadata done = await CompleteAsync(host.Client, instanceId, Ct);
        TimeSpan completion = sinceUpload.Elapsed;

        // The same again on the now warm host: the steady-state latency (the first includes JIT and first storage calls).
        string warmName = UniqueName("digest-warm");
        string warmETag = await Storage.UploadAsync(warmName, [1, 2, 3], Ct);
        var sinceWarmUpload = Stopwatch.StartNew();
        await Eventually.ReturnsAsync(
            () => host.Client.GetInstanceAsync(InstanceIdFor(warmName, warmETag), getInputsAndOutputs: false, Ct),
            Patience,
            $"an instance for {warmName}");
        TimeSpan warmLatency = sinceWarmUpload.Elapsed;
        TestContext.WriteLine(
            $"upload -> instance exists: first {latency.TotalMilliseconds:0} ms, warm {warmLatency.TotalMilliseconds:0} ms; " +
            $"upload -> completed: {completion.TotalMilliseconds:0} ms (poll interval 0.25 s)");

        Assert.AreEqual(nameof(BlobDigestOrchestrator), created.Name);
        BlobDigestResult result = done.ReadOutputAs<BlobDigestResult>()!;
        Assert.AreEqual(Sha256Hex(content), result.Digest!.Sha256);
        Assert.AreEqual(content.LongLength, result.Digest.Length);
        Assert.AreEqual(name, result.Digest.Name);
        Assert.AreEqual(etag, Quoted(result.Digest.ETag), "the digest reads the version that was uploaded");
        Assert.AreEqual($"samples-out/{name}.sha256.json", result.Output);

        BlobDownloadResult output = (await Storage.SamplesOut.GetBlobClient($"{name}.sha256.json").DownloadContentAsync(Ct)).Value;
        using JsonDocument written = JsonDocument.Parse(output.Content);
        Assert.AreEqual(Sha256Hex(content), written.RootElement.GetProperty("sha256").GetString());

        BlobReceipt? receipt = await Storage.ReadReceiptAsync(hostId, name, etag, Ct);
        Assert.IsNotNull(receipt);
        Assert.AreEqual(BlobReceipts.Started, receipt.Status);
        Assert.AreEqual(instanceId, receipt.InstanceId);
        Assert.AreEqual(0, receipt.Failures);
    }

    [TestMethod]
    public async Task Upload_UnusualNames_AreAllDigested()
    {
        string hostId = NewHostId();
        await using TestHost host = await TestHost.StartAsync(
            new TestHostOptions { Backend = EngineBackend.AzureStorage, BlobTriggers = true, Settings = Storage.HostSettings(hostId) },
            Ct);
        string unique = Guid.NewGuid().ToString("N");
        string[] names =
        [
            $"name with  spaces {unique} .txt",
            $"ünï cödé 漢字 {unique}.txt",

            // ".." inside longer segments. A segment that is exactly ".." cannot be created through the SDK at all:
            // System.Uri folds "a/../b" into "b" before the request is sent, so there is no such blob to trigger on.
            $"nested/..{unique}/up..down.txt",

            // 900 characters: the receipt name still fits Azure's 1,024-character limit.
            Pad($"long-{unique}-", 900),

            // 1,000 characters: the receipt falls back to ".../~sha256/{hex}"; the output name (+ ".sha256.json") still fits.
            Pad($"longer-{unique}-", 1000),
        ];
        Dictionary<string, byte[]> contents = names.ToDictionary(n => n, _ => RandomBytes(1_000));

        Dictionary<string, string> etags = new();
        foreach (string name in names)
        {
            etags[name] = await Storage.UploadAsync(name, contents[name], Ct);
        }

        await Task.WhenAll(names.Select(async name =>
        {
            string instanceId = InstanceIdFor(name, etags[name]);
            await Eventually.ReturnsAsync(() => host.Client.GetInstanceAsync(instanceId, Ct), Patience, $"an instance for '{Short(name)}'");
            OrchestrationMetadata done = await CompleteAsync(host.Client, instanceId, Ct);
            BlobDigestResult result = done.ReadOutputAs<BlobDigestResult>()!;
            Assert.AreEqual(name, result.Digest!.Name, "the digest names the blob exactly");
            Assert.AreEqual(Sha256Hex(contents[name]), result.Digest.Sha256, Short(name));
            Assert.IsTrue((await Storage.SamplesOut.GetBlobClient($"{name}.sha256.json").ExistsAsync(Ct)).Value, $"output for '{Short(name)}'");
            BlobReceipt? receipt = await Storage.ReadReceiptAsync(hostId, name, etags[name], Ct);
            Assert.AreEqual(BlobReceipts.Started, receipt?.Status, $"receipt of '{Short(name)}'");
            Assert.IsFalse(BlobReceipts.ReceiptName(hostId, BlobTriggerFunctions.SamplesIn, etags[name], "samples-in", name).Contains(name, StringComparison.Ordinal), $"receipt naming of '{Short(name)}': no part of the name, only its hash");
        }));
    }

    static string Pad(string prefix, int length) => prefix + new string('x', length - prefix.Length - 4) + ".txt";

    static string Short(string name) => name.Length <= 60 ? name : $"{name[..60]}... ({name.Length} chars)";
}

using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using NetVips;
using Orchestration.LocalHost.Tests.Durability;
using Orchestration.LocalHost.Tests.Engine;
using Orchestration.LocalHost.Tests.Infrastructure;
using Orchestration.Workflows.ImagePipeline;
using Orchestration.Workflows.Storage;
using static Orchestration.LocalHost.Tests.Triggers.TriggerTestData;

namespace Orchestration.LocalHost.Tests.ImagePipeline;

/// <summary>
/// A batch of images with the host SIGKILLed part-way and started again: every image ends processed exactly once —
/// one child instance each, exactly its variants and manifest in the output (nothing missing, nothing extra), every
/// variant whole and matching the manifest's size and SHA-256, every source tagged by its own child. The listing is paged
/// small, so the batch also continues as new across pages on the real engine.
/// </summary>
// Alone: a SIGKILL test measures recovery, and recovery on a box saturated by other hosts and one Azurite (lease
// renewals timing out, work-item locks lapsing) is a different, slower experiment.
[TestClass]
[DoNotParallelize]
public sealed class ImagePipelineKillRestartTests
{
    const int Images = 24;
    const int DoneBeforeKill = 4;
    const int PageSize = 5;

    /// <summary>workflow.json's profiles × formats: desktop, tablet, mobile in JPEG and WebP; thumbnail in JPEG.</summary>
    static readonly string[] Variants = ["desktop.jpg", "desktop.webp", "tablet.jpg", "tablet.webp", "mobile.jpg", "mobile.webp", "thumbnail.jpg"];

    public TestContext TestContext { get; set; } = null!;

    CancellationToken Cancel => TestContext.CancellationToken;

    [TestMethod]
    public async Task Batch_HostKilledMidBatchAndRestarted_EveryImageProcessedExactlyOnce()
    {
        var blobs = new BlobServiceClient(Infrastructure.Azurite.ConnectionString);
        BlobContainerClient input = blobs.GetBlobContainerClient("images-in");
        BlobContainerClient output = blobs.GetBlobContainerClient("images-out");
        await input.CreateIfNotExistsAsync(cancellationToken: Cancel);
        await output.CreateIfNotExistsAsync(cancellationToken: Cancel);
        string prefix = $"kill-{Guid.NewGuid():N}/";
        Dictionary<string, string> sources = await UploadAsync(input, prefix);

        // Pages of 5: the batch continues as new four times, and the kill lands in one of those generations.
        using var host = new KillableHost([$"--{ListImagesActivity.PageSizeSetting}={PageSize}"], Cancel);
        bool passed = false;
        try
        {
            await host.StartAsync();
            using HttpResponseMessage started = await host.Http.PostAsJsonAsync(
                "api/workflows/image-pipeline", new { container = "images-in", prefix }, Cancel);
            Assert.AreEqual(HttpStatusCode.Accepted, started.StatusCode, await started.Content.ReadAsStringAsync(Cancel));
            string id = (await started.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetString()!;

            int manifests = await WaitForSomeManifestsAsync(host, output, prefix, id);
            TestContext.WriteLine($"killing the host with {manifests} of {Images} manifests written");
            await host.KillAsync();
            await host.StartAsync();

            JsonElement done = await host.FinishedAsync(id, Instances.Long, $"batch {id} to finish after the restart");
            Assert.AreEqual("Completed", done.GetProperty("runtimeStatus").GetString(), done.ToString());
            JsonElement result = done.GetProperty("output");
            Assert.AreEqual(Images, result.GetProperty("total").GetInt32(), result.ToString());
            Assert.AreEqual(Images, result.GetProperty("processed").GetInt32(), result.ToString());
            Assert.AreEqual(0, result.GetProperty("rejected").GetInt32());
            Assert.AreEqual(0, result.GetProperty("failed").GetInt32());
            Assert.AreEqual((Images + PageSize - 1) / PageSize, result.GetProperty("pages").GetInt32(), "one generation per page");

            await AssertExactlyTheOutputsAsync(output, prefix);
            foreach ((string name, string etag) in sources)
            {
                string child = ImagePipelineOrchestrator.ChildInstanceId(id, new BlobRef("images-in", name, etag));
                await AssertProcessedOnceAsync(host, input, output, name, etag, child);
            }

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

    /// <summary>Distinct noisy 1600×1200 JPEGs under the prefix; name → quoted ETag.</summary>
    async Task<Dictionary<string, string>> UploadAsync(BlobContainerClient input, string prefix)
    {
        var uploads = Enumerable.Range(0, Images).Select(async i =>
        {
            string name = $"{prefix}img-{i:D2}.jpg";
            using Image noise = Image.Gaussnoise(1600, 1200, mean: 60 + (i * 5), sigma: 30);
            using Image photo = noise.Bandjoin(noise * 0.8, noise * 0.6).Cast(Enums.BandFormat.Uchar);
            BlobContentInfo info = (await input.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(photo.JpegsaveBuffer(q: 85)), Cancel)).Value;
            return (name, Quoted(info.ETag.ToString()));
        });
        return (await Task.WhenAll(uploads)).ToDictionary(u => u.name, u => u.Item2);
    }

    /// <summary>Waits until a few manifests are written while the batch is still running; fails if it finishes first.</summary>
    async Task<int> WaitForSomeManifestsAsync(KillableHost host, BlobContainerClient output, string prefix, string id)
    {
        int manifests = 0;
        await Eventually.HoldsAsync(
            async () =>
            {
                host.AssertAlive("before the kill");
                manifests = 0;
                await foreach (BlobItem blob in output.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, Cancel))
                {
                    manifests += blob.Name.EndsWith("/" + ImagePaths.ManifestName, StringComparison.Ordinal) ? 1 : 0;
                }

                (HttpStatusCode batch, JsonElement _) = await host.GetInstanceAsync(id);
                Assert.AreNotEqual(HttpStatusCode.OK, batch, "the batch finished before it could be interrupted; make it bigger");
                return manifests >= DoneBeforeKill;
            },
            Instances.Long,
            $"{DoneBeforeKill} manifests of the batch");
        return manifests;
    }

    /// <summary>Exactly each image's variants and manifest under the prefix: no partial, duplicate or stray blob.</summary>
    async Task AssertExactlyTheOutputsAsync(BlobContainerClient output, string prefix)
    {
        var expected = Enumerable.Range(0, Images)
            .SelectMany(i => Variants.Append(ImagePaths.ManifestName).Select(file => $"{prefix}img-{i:D2}/{file}"))
            .Order(StringComparer.Ordinal)
            .ToList();
        var actual = new List<string>();
        await foreach (BlobItem blob in output.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, Cancel))
        {
            actual.Add(blob.Name);
        }

        CollectionAssert.AreEqual(expected, actual.Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>One child instance, Completed and Processed; its manifest matches every variant byte for byte; the source carries its tag.</summary>
    async Task AssertProcessedOnceAsync(KillableHost host, BlobContainerClient input, BlobContainerClient output, string name, string etag, string child)
    {
        // Awaited, not read once: DurableTask.AzureStorage sends a child's completion to its parent before it commits the
        // child's own status, so on a loaded box the parent can finish while a child still reads Running (202).
        JsonElement status = await host.FinishedAsync(child, Instances.Short, $"{name}: child {child} to finish");
        Assert.AreEqual("Processed", status.GetProperty("output").GetProperty("outcome").GetString(), status.ToString());

        string stem = ImagePaths.Stem(name);
        using JsonDocument manifest = JsonDocument.Parse((await output.GetBlobClient(ImagePaths.ManifestBlobName(stem)).DownloadContentAsync(Cancel)).Value.Content);
        Assert.AreEqual(etag, manifest.RootElement.GetProperty("source").GetProperty("eTag").GetString(), name);
        Assert.AreEqual(child, manifest.RootElement.GetProperty("instance").GetString(), $"{name}: the manifest of the run that finished");
        JsonElement variants = manifest.RootElement.GetProperty("variants");
        Assert.AreEqual(Variants.Length, variants.GetArrayLength(), name);
        foreach (JsonElement variant in variants.EnumerateArray())
        {
            string blob = variant.GetProperty("blob").GetString()!;
            byte[] bytes = (await output.GetBlobClient(blob["images-out/".Length..]).DownloadContentAsync(Cancel)).Value.Content.ToArray();
            Assert.AreEqual(variant.GetProperty("bytes").GetInt64(), bytes.LongLength, blob);
            Assert.AreEqual(variant.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)), blob);
            using Image decoded = Image.NewFromBuffer(bytes, "[fail_on=truncated]");
            Assert.AreEqual(variant.GetProperty("width").GetInt32(), decoded.Width, blob);
            _ = decoded.Avg();
        }

        IDictionary<string, string> tags = (await input.GetBlobClient(name).GetTagsAsync(cancellationToken: Cancel)).Value.Tags;
        Assert.AreEqual("processed", tags[MarkSourceDoneActivity.StatusKey], name);
        Assert.AreEqual(child, tags[MarkSourceDoneActivity.InstanceKey], name);
    }
}

using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Microsoft.DurableTask.Client;
using NetVips;
using Orchestration.LocalHost.Engine;
using Orchestration.LocalHost.Tests.Infrastructure;
using Orchestration.LocalHost.Tests.Triggers;
using Orchestration.Workflows.ImagePipeline;
using Orchestration.Workflows.Storage;
using Orchestration.Workflows.Triggers;
using static Orchestration.LocalHost.Tests.Triggers.TriggerTestData;

namespace Orchestration.LocalHost.Tests.ImagePipeline;

/// <summary>Uploads to <c>images-in</c> on the local host with Azurite: variants and manifest out, or a persisted rejection.</summary>
[TestClass]
public sealed class ImagePipelineEndToEndTests : DedicatedStorageTest<ImagePipelineEndToEndTests>
{
    [TestMethod]
    public async Task Upload_Jpeg_WritesEveryVariantAndManifestAndTagsTheSourceWithoutASecondRun()
    {
        string hostId = NewHostId();
        await using TestHost host = await TestHost.StartAsync(
            new TestHostOptions { Backend = EngineBackend.AzureStorage, BlobTriggers = true, Settings = Storage.HostSettings(hostId) },
            Ct);
        BlobContainerClient input = await ContainerAsync("images-in");
        string name = $"photo {Guid.NewGuid():N}.jpg";
        string stem = Path.GetFileNameWithoutExtension(name);
        byte[] jpeg = (Image.Black(1200, 900, bands: 3) + new double[] { 90, 140, 200 }).Cast(Enums.BandFormat.Uchar).JpegsaveBuffer(q: 90);

        string etag = Quoted((await input.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(jpeg), cancellationToken: Ct)).Value.ETag.ToString());
        string instanceId = BlobTriggerStarter.InstanceIdFor("image-pipeline", new BlobRef("images-in", name, etag));
        await Eventually.ReturnsAsync(() => host.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, Ct), Patience, $"instance for {name}");
        OrchestrationMetadata done = await CompleteAsync(host.Client, instanceId, Ct, TimeSpan.FromSeconds(90));

        ImagePipelineResult result = done.ReadOutputAs<ImagePipelineResult>()!;
        Assert.AreEqual(ImageOutcome.Processed, result.Outcome, done.SerializedOutput);
        Assert.AreEqual(7, result.Variants, "desktop, tablet and mobile in JPEG and WebP, thumbnail in JPEG");

        BlobContainerClient output = Storage.Blobs.GetBlobContainerClient("images-out");
        using JsonDocument manifest = JsonDocument.Parse((await output.GetBlobClient($"{stem}/manifest.json").DownloadContentAsync(Ct)).Value.Content);
        var sizes = manifest.RootElement.GetProperty("variants").EnumerateArray()
            .ToDictionary(v => $"{v.GetProperty("profile").GetString()}.{v.GetProperty("format").GetString()}", v => (v.GetProperty("width").GetInt32(), v.GetProperty("height").GetInt32()));
        Assert.AreEqual((1200, 900), sizes["desktop.Jpeg"], "never upscaled into the 1920x1080 box");
        Assert.AreEqual((1067, 800), sizes["tablet.Jpeg"]);
        Assert.AreEqual((640, 480), sizes["mobile.WebP"]);
        Assert.AreEqual((150, 150), sizes["thumbnail.Jpeg"], "cover crop to exactly the box");
        using Image tablet = Image.NewFromBuffer((await output.GetBlobClient($"{stem}/tablet.jpg").DownloadContentAsync(Ct)).Value.Content.ToArray());
        Assert.AreEqual(1067, tablet.Width);

        IDictionary<string, string> tags = (await input.GetBlobClient(name).GetTagsAsync(cancellationToken: Ct)).Value.Tags;
        Assert.AreEqual("processed", tags[MarkSourceDoneActivity.StatusKey]);
        Assert.AreEqual(etag, Quoted((await input.GetBlobClient(name).GetPropertiesAsync(cancellationToken: Ct)).Value.ETag.ToString()),
            "tagging leaves the version alone, so the trigger does not see a change");

        // Let the watcher poll past the mark: a later upload being picked up proves it polled after tagging.
        string marker = $"marker-{Guid.NewGuid():N}.txt";
        string markerETag = Quoted((await input.GetBlobClient(marker).UploadAsync(BinaryData.FromString("x"), cancellationToken: Ct)).Value.ETag.ToString());
        await Eventually.ReturnsAsync(
            () => host.Client.GetInstanceAsync(BlobTriggerStarter.InstanceIdFor("image-pipeline", new BlobRef("images-in", marker, markerETag)), false, Ct),
            Patience,
            "the marker's instance");
        int runsForPhoto = 0;
        await foreach (OrchestrationMetadata instance in host.Client.GetAllInstancesAsync(new OrchestrationQuery { FetchInputsAndOutputs = true }))
        {
            if (instance.SerializedInput?.Contains(stem, StringComparison.Ordinal) == true && !instance.InstanceId.Contains(':', StringComparison.Ordinal))
            {
                runsForPhoto++;
            }
        }

        Assert.AreEqual(1, runsForPhoto, "one upload, one run");
    }

    [TestMethod]
    public async Task Upload_TextNamedJpg_CompletesRejectedWithAReasonFile()
    {
        string hostId = NewHostId();
        await using TestHost host = await TestHost.StartAsync(
            new TestHostOptions { Backend = EngineBackend.AzureStorage, BlobTriggers = true, Settings = Storage.HostSettings(hostId) },
            Ct);
        BlobContainerClient input = await ContainerAsync("images-in");
        string name = $"notes-{Guid.NewGuid():N}.jpg";

        string etag = Quoted((await input.GetBlobClient(name).UploadAsync(BinaryData.FromString("this is not a picture"), cancellationToken: Ct)).Value.ETag.ToString());
        string instanceId = BlobTriggerStarter.InstanceIdFor("image-pipeline", new BlobRef("images-in", name, etag));
        await Eventually.ReturnsAsync(() => host.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, Ct), Patience, $"instance for {name}");
        OrchestrationMetadata done = await CompleteAsync(host.Client, instanceId, Ct, TimeSpan.FromSeconds(90));

        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus, "a bad upload is a verdict, not a failure");
        ImagePipelineResult result = done.ReadOutputAs<ImagePipelineResult>()!;
        Assert.AreEqual(ImageOutcome.Rejected, result.Outcome);
        BlobContainerClient rejected = Storage.Blobs.GetBlobContainerClient("images-rejected");
        Assert.AreEqual("this is not a picture", Encoding.UTF8.GetString((await rejected.GetBlobClient(name).DownloadContentAsync(Ct)).Value.Content));
        using JsonDocument reason = JsonDocument.Parse((await rejected.GetBlobClient($"{name}.reason.json").DownloadContentAsync(Ct)).Value.Content);
        Assert.AreEqual("NotAnImage", reason.RootElement.GetProperty("code").GetString());
        Assert.IsFalse(string.IsNullOrWhiteSpace(reason.RootElement.GetProperty("allowed").GetString()));
    }

    async Task<BlobContainerClient> ContainerAsync(string name)
    {
        BlobContainerClient container = Storage.Blobs.GetBlobContainerClient(name);
        await container.CreateIfNotExistsAsync(cancellationToken: Ct);
        return container;
    }
}

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
// One at a time: every test's host watches the class's images-in with its own task hub, so hosts running side by side
// would each run the pipeline on the other tests' uploads and race them (whoever tags first wins; the other ends
// AlreadyDone, or both write the same rejected copy at once).
[TestClass]
[DoNotParallelize]
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
        byte[] jpeg = TestPhotos.UniformJpeg(1200, 900);

        string etag = Quoted((await input.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(jpeg), cancellationToken: Ct)).Value.ETag.ToString());
        string instanceId = BlobTriggerStarter.InstanceIdFor("image-pipeline", new BlobRef("images-in", name, etag));
        await Eventually.ReturnsAsync(() => host.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, Ct), Patience, $"instance for {name}");
        OrchestrationMetadata done = await CompleteAsync(host.Client, instanceId, Ct, Patience);

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
        OrchestrationMetadata done = await CompleteAsync(host.Client, instanceId, Ct, Patience);

        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus, "a bad upload is a verdict, not a failure");
        ImagePipelineResult result = done.ReadOutputAs<ImagePipelineResult>()!;
        Assert.AreEqual(ImageOutcome.Rejected, result.Outcome);
        BlobContainerClient rejected = Storage.Blobs.GetBlobContainerClient("images-rejected");
        Assert.AreEqual("this is not a picture", Encoding.UTF8.GetString((await rejected.GetBlobClient(name).DownloadContentAsync(Ct)).Value.Content));
        using JsonDocument reason = JsonDocument.Parse((await rejected.GetBlobClient($"{name}.reason.json").DownloadContentAsync(Ct)).Value.Content);
        Assert.AreEqual("NotAnImage", reason.RootElement.GetProperty("code").GetString());
        Assert.IsFalse(string.IsNullOrWhiteSpace(reason.RootElement.GetProperty("allowed").GetString()));
    }

    [TestMethod]
    public async Task Upload_UniformJpeg_WatermarkVisibleBottomRightOfDesktopAndAbsentFromThumbnail()
    {
        string hostId = NewHostId();
        await using TestHost host = await TestHost.StartAsync(
            new TestHostOptions { Backend = EngineBackend.AzureStorage, BlobTriggers = true, Settings = Storage.HostSettings(hostId) },
            Ct);
        BlobContainerClient input = await ContainerAsync("images-in");
        string name = $"plain-{Guid.NewGuid():N}.jpg";
        string stem = Path.GetFileNameWithoutExtension(name);
        byte[] jpeg = TestPhotos.UniformJpeg(1600, 1200);

        string etag = Quoted((await input.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(jpeg), cancellationToken: Ct)).Value.ETag.ToString());
        string instanceId = BlobTriggerStarter.InstanceIdFor("image-pipeline", new BlobRef("images-in", name, etag));
        await Eventually.ReturnsAsync(() => host.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, Ct), Patience, $"instance for {name}");
        OrchestrationMetadata done = await CompleteAsync(host.Client, instanceId, Ct, Patience);
        Assert.AreEqual(ImageOutcome.Processed, done.ReadOutputAs<ImagePipelineResult>()!.Outcome, done.SerializedOutput);

        BlobContainerClient output = Storage.Blobs.GetBlobContainerClient("images-out");
        using Image desktop = Image.NewFromBuffer((await output.GetBlobClient($"{stem}/desktop.jpg").DownloadContentAsync(Ct)).Value.Content.ToArray());
        Assert.AreEqual((1440, 1080), (desktop.Width, desktop.Height));

        // workflow.json: BottomRight, a quarter of the width wide, 2 % margin; a third × an eighth of the corner holds it.
        int regionWidth = desktop.Width / 3, regionHeight = desktop.Height / 8;
        using Image topLeft = desktop.Crop(0, 0, regionWidth, regionHeight);
        using Image bottomRight = desktop.Crop(desktop.Width - regionWidth, desktop.Height - regionHeight, regionWidth, regionHeight);
        (double plainSpread, double plainDeviation) = Spread(topLeft);
        (double markSpread, double markDeviation) = Spread(bottomRight);
        Assert.IsLessThan(12, plainSpread, "the top-left of a uniform image stays near-uniform");
        Assert.IsLessThan(2, plainDeviation);
        Assert.IsGreaterThan(60, markSpread, "the watermark's light text and dark shadow show in the bottom-right corner");
        Assert.IsGreaterThan(plainDeviation + 5, markDeviation);

        using Image thumbnail = Image.NewFromBuffer((await output.GetBlobClient($"{stem}/thumbnail.jpg").DownloadContentAsync(Ct)).Value.Content.ToArray());
        (double thumbSpread, double thumbDeviation) = Spread(thumbnail);
        Assert.IsLessThan(12, thumbSpread, "thumbnail has watermark=false: uniform everywhere");
        Assert.IsLessThan(2, thumbDeviation);
    }

    /// <summary>The largest max − min and the largest standard deviation over the bands of <paramref name="region"/>.</summary>
    static (double Spread, double Deviation) Spread(Image region)
    {
        double spread = 0, deviation = 0;
        for (int band = 0; band < region.Bands; band++)
        {
            using Image one = region[band];
            spread = Math.Max(spread, one.Max() - one.Min());
            deviation = Math.Max(deviation, one.Deviate());
        }

        return (spread, deviation);
    }

    async Task<BlobContainerClient> ContainerAsync(string name)
    {
        BlobContainerClient container = Storage.Blobs.GetBlobContainerClient(name);
        await container.CreateIfNotExistsAsync(cancellationToken: Ct);
        return container;
    }
}

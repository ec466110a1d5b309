using System.Buffers.Binary;
using System.Text.Json;
using Azure.Storage.Blobs;
using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using NetVips;
using Orchestration.LocalHost.Engine;
using Orchestration.LocalHost.Tests.Infrastructure;
using Orchestration.LocalHost.Tests.Triggers;
using Orchestration.Workflows.Http;
using Orchestration.Workflows.ImagePipeline;
using Orchestration.Workflows.Imaging;
using Orchestration.Workflows.Storage;
using Orchestration.Workflows.Triggers;
using static Orchestration.LocalHost.Tests.Triggers.TriggerTestData;

namespace Orchestration.LocalHost.Tests.ImagePipeline;

/// <summary>
/// Valid but unusual images, damaged ones and a render that fails on a valid image, through the local host with Azurite
/// and the shipped workflow.json: tiny sides are processed with every variant, a Display P3 source comes out in sRGB,
/// damaged files end Rejected/Corrupt, and our own failure ends Failed with libvips' error (never Corrupt).
/// </summary>
// One at a time: every test's host watches the class's images-in with its own task hub (see ImagePipelineEndToEndTests).
[TestClass]
[DoNotParallelize]
public sealed class ImagePipelineImageEdgeCaseTests : DedicatedStorageTest<ImagePipelineImageEdgeCaseTests>
{
    /// <summary>Variants of the shipped workflow.json: desktop, tablet and mobile in JPEG and WebP, thumbnail in JPEG.</summary>
    const int ShippedVariants = 7;

    [TestMethod]
    public async Task Upload_OnePixelSidesAndDisplayP3_ProcessedWithEveryVariantInSrgb()
    {
        string run = Guid.NewGuid().ToString("N")[..8];
        var uploads = new List<(string Name, byte[] Content)>
        {
            ($"{run}/1x1.png", Png(1, 1)),
            ($"{run}/100x1.png", Png(100, 1)),
            ($"{run}/1x100.png", Png(1, 100)),
            ($"{run}/2000x3.png", Png(2000, 3)),
            ($"{run}/p3.jpg", DisplayP3RedJpeg()),
        };

        await using TestHost host = await StartHostAsync();
        BlobContainerClient input = await ContainerAsync("images-in");
        var instances = new List<string>();
        foreach ((string name, byte[] content) in uploads)
        {
            instances.Add(await UploadAsync(input, name, content));
        }

        BlobContainerClient output = Storage.Blobs.GetBlobContainerClient("images-out");
        for (int i = 0; i < uploads.Count; i++)
        {
            string name = uploads[i].Name;
            OrchestrationMetadata done = await CompletedAsync(host, name, instances[i]);
            ImagePipelineResult result = done.ReadOutputAs<ImagePipelineResult>()!;
            Assert.AreEqual(ImageOutcome.Processed, result.Outcome, $"{name}: {done.SerializedOutput}");
            Assert.AreEqual(ShippedVariants, result.Variants, name);
            string stem = ImagePaths.Stem(name);
            using JsonDocument manifest = JsonDocument.Parse((await output.GetBlobClient(ImagePaths.ManifestBlobName(stem)).DownloadContentAsync(Ct)).Value.Content);
            foreach (JsonElement variant in manifest.RootElement.GetProperty("variants").EnumerateArray())
            {
                byte[] bytes = (await output.GetBlobClient(variant.GetProperty("blob").GetString()!["images-out/".Length..]).DownloadContentAsync(Ct)).Value.Content.ToArray();
                using Image decoded = Image.NewFromBuffer(bytes);
                Assert.AreEqual((variant.GetProperty("width").GetInt32(), variant.GetProperty("height").GetInt32()), (decoded.Width, decoded.Height), $"{name}: {variant}");
            }
        }

        // P3 red (sRGB 255,0,0 stored as P3's 234,51,35): converted, the desktop JPEG is sRGB red again, not the stripped numbers.
        byte[] desktop = (await output.GetBlobClient($"{ImagePaths.Stem(uploads[^1].Name)}/desktop.jpg").DownloadContentAsync(Ct)).Value.Content.ToArray();
        using Image red = Image.NewFromBuffer(desktop);
        double[] pixel = red.Getpoint(20, 20);
        Assert.IsGreaterThan(245, pixel[0], string.Join(",", pixel));
        Assert.IsLessThan(20, pixel[1], string.Join(",", pixel));
        Assert.IsLessThan(20, pixel[2], string.Join(",", pixel));
    }

    [TestMethod]
    public async Task Upload_DamagedFiles_EachRejectedCorruptWithACopy()
    {
        string run = Guid.NewGuid().ToString("N")[..8];
        byte[] png = Png(400, 300);
        byte[] jpeg = Jpeg(400, 300);
        int scan = jpeg.AsSpan().IndexOf([(byte)0xFF, (byte)0xDA]);
        var uploads = new (string Name, byte[] Content)[]
        {
            ($"{run}/bad-crc.png", WithBadCrc(png, "IDAT"u8)),
            ($"{run}/truncated.png", png[..(png.Length * 2 / 3)]),
            ($"{run}/garbage.png", WithGarbage(png, png.Length / 2, 64, seed: 1)),
            ($"{run}/truncated.jpg", jpeg[..(jpeg.Length * 2 / 3)]),
            ($"{run}/garbage.jpg", WithGarbage(jpeg, (scan + jpeg.Length) / 2, 64, seed: 2)),
        };

        await using TestHost host = await StartHostAsync();
        BlobContainerClient input = await ContainerAsync("images-in");
        var instances = new List<string>();
        foreach ((string name, byte[] content) in uploads)
        {
            instances.Add(await UploadAsync(input, name, content));
        }

        BlobContainerClient rejected = Storage.Blobs.GetBlobContainerClient("images-rejected");
        for (int i = 0; i < uploads.Length; i++)
        {
            string name = uploads[i].Name;
            OrchestrationMetadata done = await CompletedAsync(host, name, instances[i]);
            ImagePipelineResult result = done.ReadOutputAs<ImagePipelineResult>()!;
            Assert.AreEqual(ImageOutcome.Rejected, result.Outcome, $"{name}: {done.SerializedOutput}");
            Assert.AreEqual(RejectionCode.Corrupt, result.Code, name);
            Assert.IsTrue((await rejected.GetBlobClient($"{name}.reason.json").ExistsAsync(Ct)).Value, name);
        }
    }

    [TestMethod]
    public async Task Upload_RenderFailsOnAValidImage_RetriedThenFailedWithTheLibvipsErrorAndNoRejection()
    {
        // A definition whose WebP profile is 16384 px wide: libwebp refuses more than 16383 px. The source is a valid PNG.
        var definition = new ImagePipelineDefinition
        {
            Profiles = [new DeviceProfile { Name = "huge", Width = 16384, Height = 16384, Formats = [ImageFormat.WebP], Watermark = false }],
        };
        string name = $"{Guid.NewGuid():N}/wide.png";

        await using TestHost host = await StartHostAsync(definition);
        BlobContainerClient input = await ContainerAsync("images-in");
        string instanceId = await UploadAsync(input, name, Png(16384, 4));

        await Eventually.ReturnsAsync(() => host.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, Ct), Patience, $"instance for {name}");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromMinutes(4));
        OrchestrationMetadata done = await host.Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, deadline.Token);

        Assert.AreEqual(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus, done.SerializedOutput);
        TaskFailureDetails failure = done.FailureDetails!;
        string detail = $"{failure.ErrorType}: {failure.ErrorMessage} / {failure.InnerFailure?.ErrorType}: {failure.InnerFailure?.ErrorMessage}";
        StringAssert.Contains(detail, typeof(ImageRenderException).FullName!, StringComparison.Ordinal);
        StringAssert.Contains(detail, "webpsave", StringComparison.Ordinal);
        IReadOnlyList<JsonElement> history = await host.App.Services.GetRequiredService<IHistoryReader>().ReadAsync(host.Client, instanceId, Ct);
        int renderFailures = history.Count(e => e.EnumerateObject().Any(p => p.Name.Equals("eventType", StringComparison.OrdinalIgnoreCase)
            && (p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetInt32() == (int)EventType.TaskFailed : p.Value.GetString() == nameof(EventType.TaskFailed))));
        Assert.AreEqual(5, renderFailures, "the render is retried by its policy: 5 attempts, each failed");
        Assert.IsFalse((await Storage.Blobs.GetBlobContainerClient("images-rejected").GetBlobClient($"{name}.reason.json").ExistsAsync(Ct)).Value, "not called damaged");
        IDictionary<string, string> tags = (await input.GetBlobClient(name).GetTagsAsync(cancellationToken: Ct)).Value.Tags;
        Assert.IsFalse(tags.ContainsKey(MarkSourceDoneActivity.StatusKey), "a failed run does not mark the source done");
    }

    Task<TestHost> StartHostAsync(ImagePipelineDefinition? definition = null) => TestHost.StartAsync(
        new TestHostOptions
        {
            Backend = EngineBackend.AzureStorage,
            BlobTriggers = true,
            Settings = Storage.HostSettings(NewHostId()),
            Configure = definition is null ? null : b => b.Services.AddSingleton(definition),
        },
        Ct);

    /// <summary>Uploads and returns the id of the run the blob trigger will start for this version.</summary>
    async Task<string> UploadAsync(BlobContainerClient input, string name, byte[] content)
    {
        string etag = Quoted((await input.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(content), overwrite: true, Ct)).Value.ETag.ToString());
        return BlobTriggerStarter.InstanceIdFor("image-pipeline", new BlobRef("images-in", name, etag));
    }

    async Task<OrchestrationMetadata> CompletedAsync(TestHost host, string name, string instanceId)
    {
        await Eventually.ReturnsAsync(() => host.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, Ct), Patience, $"instance for {name}");
        return await CompleteAsync(host.Client, instanceId, Ct, TimeSpan.FromMinutes(3));
    }

    async Task<BlobContainerClient> ContainerAsync(string name)
    {
        BlobContainerClient container = Storage.Blobs.GetBlobContainerClient(name);
        await container.CreateIfNotExistsAsync(cancellationToken: Ct);
        return container;
    }

    /// <summary>A textured sRGB image (gradient and noise), so compressed data has substance to damage.</summary>
    static Image Photo(int width, int height)
    {
        using Image xy = Image.Xyz(width, height);
        using Image x = xy[0];
        using Image y = xy[1];
        using Image noise = Image.Gaussnoise(width, height, mean: 0, sigma: 12);
        using Image r = (x * (200.0 / width)) + 30 + noise;
        using Image g = (y * (200.0 / height)) + 30 + noise;
        using Image b = 90 - noise;
        using Image joined = r.Bandjoin(g, b);
        using Image cast = joined.Cast(Enums.BandFormat.Uchar);
        return cast.Copy(interpretation: Enums.Interpretation.Srgb);
    }

    static byte[] Png(int width, int height)
    {
        using Image photo = Photo(width, height);
        return photo.PngsaveBuffer();
    }

    static byte[] Jpeg(int width, int height)
    {
        using Image photo = Photo(width, height);
        return photo.JpegsaveBuffer(q: 90);
    }

    /// <summary>sRGB red turned into Display P3 numbers with the P3 profile embedded (libvips' built-in <c>p3</c>).</summary>
    static byte[] DisplayP3RedJpeg()
    {
        using Image black = Image.Black(400, 300, bands: 3);
        using Image red = black + new double[] { 255, 0, 0 };
        using Image cast = red.Cast(Enums.BandFormat.Uchar);
        using Image srgb = cast.Copy(interpretation: Enums.Interpretation.Srgb);
        using Image p3 = srgb.IccTransform("p3", embedded: false, inputProfile: "srgb");
        Assert.IsLessThan(245, p3.Getpoint(0, 0)[0], "fixture: P3's numbers for sRGB red");
        return p3.JpegsaveBuffer(q: 95);
    }

    /// <summary><paramref name="bytes"/> with the CRC of the first <paramref name="chunk"/> chunk inverted.</summary>
    static byte[] WithBadCrc(byte[] bytes, ReadOnlySpan<byte> chunk)
    {
        byte[] copy = (byte[])bytes.Clone();
        int type = copy.AsSpan().IndexOf(chunk);
        int length = BinaryPrimitives.ReadInt32BigEndian(copy.AsSpan(type - 4));
        for (int i = 0; i < 4; i++)
        {
            copy[type + 4 + length + i] ^= 0xFF;
        }

        return copy;
    }

    /// <summary><paramref name="count"/> random bytes over <paramref name="bytes"/> from <paramref name="offset"/>, one in eight a 0xFF.</summary>
    static byte[] WithGarbage(byte[] bytes, int offset, int count, int seed)
    {
        byte[] copy = (byte[])bytes.Clone();
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            copy[offset + i] = random.Next(8) == 0 ? (byte)0xFF : (byte)random.Next(256);
        }

        return copy;
    }
}

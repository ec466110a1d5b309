using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
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

/// <summary>
/// Hostile and awkward uploads to <c>images-in</c> on the local host with Azurite: each bad file ends <c>Completed</c>
/// with <see cref="ImageOutcome.Rejected"/>, a copy and a reason file in <c>images-rejected</c>; awkward names are processed
/// under the stem <see cref="ImagePaths.Stem"/> gives. One host per test, several uploads each.
/// </summary>
// One at a time: every test's host watches the class's images-in with its own task hub, so hosts running side by side
// would each run the pipeline on the other tests' uploads and race them (whoever tags first wins; the other ends
// AlreadyDone, or both write the same rejected copy at once).
[TestClass]
[DoNotParallelize]
public sealed class ImagePipelineBadInputTests : DedicatedStorageTest<ImagePipelineBadInputTests>
{
    /// <summary><c>limits.maxBytes</c> of <c>workflows/image-pipeline/workflow.json</c>.</summary>
    const int MaxBytes = 52_428_800;

    [TestMethod]
    public async Task Upload_BadInputs_EachCompletesRejectedWithTheRightCodeAndACopy()
    {
        byte[] jpeg = SmallJpeg(640, 480);
        var uploads = new (string Name, byte[] Content, string Code)[]
        {
            ("zero.png", [], "Empty"),
            ("truncated.jpg", jpeg[..(jpeg.Length / 2)], "Corrupt"),
            ("bomb.png", PngHeaderOnly(30_000, 30_000), "TooManyPixels"),
            ("picture.bmp", Bmp(2, 2), "UnsupportedFormat"),
            ("drawing.svg", Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>"), "UnsupportedFormat"),
            ("big.jpg", RandomNumberGenerator.GetBytes(MaxBytes + 1), "TooLarge"),
        };

        await using TestHost host = await StartHostAsync();
        BlobContainerClient input = await ContainerAsync("images-in");
        var instances = new List<(string Name, byte[] Content, string Code, string InstanceId)>();
        foreach ((string name, byte[] content, string code) in uploads)
        {
            instances.Add((name, content, code, await UploadAsync(input, name, content)));
        }

        OrchestrationMetadata[] done = await Task.WhenAll(instances.Select(i => CompletedAsync(host, i.Name, i.InstanceId)));

        BlobContainerClient rejected = Storage.Blobs.GetBlobContainerClient("images-rejected");
        for (int i = 0; i < instances.Count; i++)
        {
            (string name, byte[] content, string code, _) = instances[i];
            ImagePipelineResult result = done[i].ReadOutputAs<ImagePipelineResult>()!;
            Assert.AreEqual(ImageOutcome.Rejected, result.Outcome, $"{name}: {done[i].SerializedOutput}");
            Assert.AreEqual(code, result.Code?.ToString(), name);
            using JsonDocument reason = JsonDocument.Parse((await rejected.GetBlobClient($"{name}.reason.json").DownloadContentAsync(Ct)).Value.Content);
            Assert.AreEqual(code, reason.RootElement.GetProperty("code").GetString(), name);
            Assert.IsFalse(string.IsNullOrWhiteSpace(reason.RootElement.GetProperty("reason").GetString()), name);
            Assert.IsFalse(string.IsNullOrWhiteSpace(reason.RootElement.GetProperty("allowed").GetString()), name);
            byte[] copy = (await rejected.GetBlobClient(name).DownloadContentAsync(Ct)).Value.Content.ToArray();
            Assert.IsTrue(content.AsSpan().SequenceEqual(copy), $"{name}: the original is copied unchanged ({copy.Length} of {content.Length} bytes)");
            IDictionary<string, string> tags = (await input.GetBlobClient(name).GetTagsAsync(cancellationToken: Ct)).Value.Tags;
            Assert.AreEqual("rejected", tags[MarkSourceDoneActivity.StatusKey], name);
            Assert.IsFalse(await AnyOutputUnderAsync(ImagePaths.Stem(name)), $"{name}: a rejected upload writes nothing to images-out");
        }
    }

    [TestMethod]
    public async Task Upload_AwkwardNames_ProcessedWithAManifestUnderTheirStem()
    {
        string[] names =
        [
            "with space.jpg",
            "ünïcödé 漢字.jpg",
            "a/..b/c.jpg",
            new string('l', 896) + ".jpg",
        ];
        Assert.AreEqual(900, names[^1].Length);
        byte[] jpeg = SmallJpeg(320, 240);

        await using TestHost host = await StartHostAsync();
        BlobContainerClient input = await ContainerAsync("images-in");
        var instanceIds = new List<string>();
        foreach (string name in names)
        {
            instanceIds.Add(await UploadAsync(input, name, jpeg));
        }

        OrchestrationMetadata[] done = await Task.WhenAll(names.Select((name, i) => CompletedAsync(host, name, instanceIds[i])));

        BlobContainerClient output = Storage.Blobs.GetBlobContainerClient("images-out");
        for (int i = 0; i < names.Length; i++)
        {
            string name = names[i];
            string stem = ImagePaths.Stem(name);
            ImagePipelineResult result = done[i].ReadOutputAs<ImagePipelineResult>()!;
            Assert.AreEqual(ImageOutcome.Processed, result.Outcome, $"{name}: {done[i].SerializedOutput}");
            Assert.AreEqual($"images-out/{ImagePaths.ManifestBlobName(stem)}", result.Manifest, name);
            using JsonDocument manifest = JsonDocument.Parse((await output.GetBlobClient(ImagePaths.ManifestBlobName(stem)).DownloadContentAsync(Ct)).Value.Content);
            Assert.AreEqual(name, manifest.RootElement.GetProperty("source").GetProperty("name").GetString());
            foreach (JsonElement variant in manifest.RootElement.GetProperty("variants").EnumerateArray())
            {
                string blob = variant.GetProperty("blob").GetString()!;
                StringAssert.StartsWith(blob, $"images-out/{stem}/", StringComparison.Ordinal);
                Assert.IsTrue((await output.GetBlobClient(blob["images-out/".Length..]).ExistsAsync(Ct)).Value, blob);
            }
        }
    }

    Task<TestHost> StartHostAsync() => TestHost.StartAsync(
        new TestHostOptions { Backend = EngineBackend.AzureStorage, BlobTriggers = true, Settings = Storage.HostSettings(NewHostId()) },
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
        return await CompleteAsync(host.Client, instanceId, Ct, Patience);
    }

    /// <summary>Whether <c>images-out</c> holds anything under <c>{stem}/</c> (other tests of this class share the account).</summary>
    async Task<bool> AnyOutputUnderAsync(string stem)
    {
        BlobContainerClient output = Storage.Blobs.GetBlobContainerClient("images-out");
        if (!(await output.ExistsAsync(Ct)).Value)
        {
            return false;
        }

        await foreach (BlobItem unused in output.GetBlobsAsync(new GetBlobsOptions { Prefix = $"{stem}/" }, Ct))
        {
            return true;
        }

        return false;
    }

    async Task<BlobContainerClient> ContainerAsync(string name)
    {
        BlobContainerClient container = Storage.Blobs.GetBlobContainerClient(name);
        await container.CreateIfNotExistsAsync(cancellationToken: Ct);
        return container;
    }

    /// <summary>A real JPEG with some texture, so half of it is a truncated scan rather than a header alone.</summary>
    static byte[] SmallJpeg(int width, int height)
    {
        using Image noise = Image.Gaussnoise(width, height, mean: 128, sigma: 40);
        using Image rgb = noise.Bandjoin(noise, noise);
        using Image cast = rgb.Cast(Enums.BandFormat.Uchar);
        using Image srgb = cast.Copy(interpretation: Enums.Interpretation.Srgb);
        return srgb.JpegsaveBuffer(q: 90);
    }

    /// <summary>A 24-bit uncompressed BMP: a real image in a format the pipeline does not accept.</summary>
    static byte[] Bmp(int width, int height)
    {
        int stride = ((width * 3) + 3) & ~3;
        var bmp = new byte[54 + (stride * height)];
        "BM"u8.CopyTo(bmp);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(2), bmp.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(28), 24);
        bmp.AsSpan(54).Fill(0x80);
        return bmp;
    }

    /// <summary>
    /// A well-formed, 100-odd-byte PNG whose IHDR claims <paramref name="width"/>×<paramref name="height"/> 8-bit RGB
    /// (as <c>TestImages.PngHeaderOnly</c> in the workflow tests, which this project cannot see).
    /// </summary>
    static byte[] PngHeaderOnly(int width, int height)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // colour type RGB
        using var output = new MemoryStream();
        output.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        WriteChunk(output, "IHDR"u8, ihdr);
        WriteChunk(output, "IDAT"u8, [0x78, 0x9C, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01]); // zlib of one zero byte
        WriteChunk(output, "IEND"u8, []);
        return output.ToArray();
    }

    static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        var typed = new byte[4 + data.Length];
        type.CopyTo(typed);
        data.CopyTo(typed.AsSpan(4));
        output.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32(typed));
        output.Write(word);
    }

    static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}

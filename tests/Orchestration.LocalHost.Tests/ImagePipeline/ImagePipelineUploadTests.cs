using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.DurableTask.Client;
using NetVips;
using Orchestration.LocalHost.Engine;
using Orchestration.LocalHost.Tests.Api;
using Orchestration.LocalHost.Tests.Infrastructure;
using Orchestration.LocalHost.Tests.Triggers;
using Orchestration.LocalHost.Triggers;
using Orchestration.Workflows.Http;
using Orchestration.Workflows.Storage;
using Orchestration.Workflows.Triggers;
using static Orchestration.LocalHost.Tests.Triggers.TriggerTestData;

namespace Orchestration.LocalHost.Tests.ImagePipeline;

/// <summary>
/// <c>POST /api/workflows/image-pipeline?name=..</c> with the image as the body, on the local host with Azurite: stored in
/// <c>images-in</c>, run under the blob trigger's id (so the trigger does not run it again), the same bytes twice are one
/// run, and every bad request is refused with nothing stored.
/// </summary>
// One at a time: a host with blob triggers watches the class's images-in (see ImagePipelineEndToEndTests).
[TestClass]
[DoNotParallelize]
public sealed class ImagePipelineUploadTests : DedicatedStorageTest<ImagePipelineUploadTests>
{
    /// <summary><c>limits.maxBytes</c> of <c>workflows/image-pipeline/workflow.json</c>.</summary>
    const long MaxBytes = 52_428_800;

    [TestMethod]
    public async Task PostImage_StoresRunsOnce_SameBytesAgainIsTheSameRun_TriggerDoesNotRunItAgain()
    {
        string hostId = NewHostId();
        await using TestHost host = await StartHostAsync(hostId, blobTriggers: true);
        string name = $"uploads/cat {Guid.NewGuid():N}.jpg";
        byte[] jpeg = Jpeg(800, 600);

        JsonElement first = await PostAsync(host, name, jpeg, "image/jpeg");
        Assert.AreEqual("Completed", first.GetProperty("runtimeStatus").GetString(), first.ToString());
        Assert.AreEqual("Processed", first.GetProperty("output").GetProperty("outcome").GetString(), first.ToString());

        BlobClient stored = Storage.Blobs.GetBlobContainerClient("images-in").GetBlobClient(name);
        BlobProperties properties = (await stored.GetPropertiesAsync(cancellationToken: Ct)).Value;
        CollectionAssert.AreEqual(jpeg, (await stored.DownloadContentAsync(Ct)).Value.Content.ToArray(), "the body is stored as sent");
        Assert.AreEqual(Sha256Hex(jpeg), properties.Metadata[BlobUpload.HashKey]);
        Assert.AreEqual("image/jpeg", properties.ContentType);
        string etag = Quoted(properties.ETag.ToString());
        string instanceId = BlobTriggerStarter.InstanceIdFor("image-pipeline", new BlobRef("images-in", name, etag));
        Assert.AreEqual(instanceId, first.GetProperty("instanceId").GetString(), "the id the blob trigger would give this version");

        JsonElement again = await PostAsync(host, name, jpeg, "image/jpeg");
        Assert.AreEqual(instanceId, again.GetProperty("instanceId").GetString(), "the same bytes are the same run");
        Assert.AreEqual(properties.ETag, (await stored.GetPropertiesAsync(cancellationToken: Ct)).Value.ETag, "nothing was written the second time");

        // The watcher sees the stored blob too: once its receipt for this version exists it has handled it.
        string receipt = BlobReceipts.ReceiptName(hostId, BlobTriggerFunctions.ImagesIn, etag, "images-in", name);
        await Eventually.ReturnsAsync(
            () => BlobReceipts.ReadAsync(Storage.Blobs.GetBlobContainerClient(BlobReceipts.ContainerName).GetBlobClient(receipt), Ct),
            Patience,
            "the watcher's receipt for the uploaded blob");
        Assert.AreEqual(1, await RunsForAsync(host, name), "one upload, one run, whoever started it");
        using JsonDocument manifest = await ManifestAsync(first);
        Assert.AreEqual(etag, manifest.RootElement.GetProperty("source").GetProperty("eTag").GetString());
    }

    [TestMethod]
    public async Task PostImage_ChangedBytesUnderTheSameName_IsANewRunOfTheNewVersion()
    {
        await using TestHost host = await StartHostAsync(NewHostId(), blobTriggers: false);
        string name = $"changing-{Guid.NewGuid():N}.png";

        JsonElement first = await PostAsync(host, name, Jpeg(400, 300), "application/octet-stream");
        byte[] png = (Image.Black(300, 400, bands: 3) + new double[] { 10, 200, 30 }).Cast(Enums.BandFormat.Uchar).PngsaveBuffer();
        JsonElement second = await PostAsync(host, name, png, "image/png");

        Assert.AreNotEqual(first.GetProperty("instanceId").GetString(), second.GetProperty("instanceId").GetString());
        JsonElement output = second.GetProperty("output");
        Assert.AreEqual("Processed", output.GetProperty("outcome").GetString(), second.ToString());
        using JsonDocument manifest = await ManifestAsync(second);
        Assert.AreEqual(300, manifest.RootElement.GetProperty("inspection").GetProperty("width").GetInt32(), "the manifest describes the new bytes");
    }

    [TestMethod]
    public async Task PostNotAnImage_35MB_IsStoredAndCompletesRejectedWithAReason()
    {
        await using TestHost host = await StartHostAsync(NewHostId(), blobTriggers: false);
        string name = $"notes-{Guid.NewGuid():N}.jpg";

        // Over Kestrel's default 30 MB request limit, under the pipeline's 50 MiB: the route lifts the server's limit to its own.
        byte[] notAnImage = RandomBytes(35_000_000);
        JsonElement status = await PostAsync(host, name, notAnImage, "image/jpeg");

        Assert.AreEqual("Completed", status.GetProperty("runtimeStatus").GetString());
        Assert.AreEqual("Rejected", status.GetProperty("output").GetProperty("outcome").GetString(), status.ToString());
        Assert.AreEqual("NotAnImage", status.GetProperty("output").GetProperty("code").GetString());
        BlobContainerClient rejected = Storage.Blobs.GetBlobContainerClient("images-rejected");
        Assert.AreEqual(notAnImage.Length, (await rejected.GetBlobClient(name).GetPropertiesAsync(cancellationToken: Ct)).Value.ContentLength, "the copy is whole");
        Assert.IsTrue((await rejected.GetBlobClient($"{name}.reason.json").ExistsAsync(Ct)).Value);
    }

    [TestMethod]
    public async Task BadUploads_AreRefusedWithAReason_AndStoreNothing()
    {
        await using TestHost host = await StartHostAsync(NewHostId(), blobTriggers: false);
        byte[] jpeg = Jpeg(64, 64);
        string name = $"refused-{Guid.NewGuid():N}.jpg";

        await ExpectRefusedAsync(host, "image-pipeline", null, jpeg, HttpStatusCode.BadRequest, "name: required");
        await ExpectRefusedAsync(host, "image-pipeline", "../escape.jpg", jpeg, HttpStatusCode.BadRequest, "cannot name a blob");
        await ExpectRefusedAsync(host, "image-pipeline", name, [], HttpStatusCode.BadRequest, "body: empty");
        await ExpectRefusedAsync(host, "hello-sequence", name, jpeg, HttpStatusCode.UnsupportedMediaType, "hello-sequence does not take");

        // Chunked (no length) and too large: refused once the limit passes, nothing committed. A claimed length is the unit tests'.
        using (var chunked = new StreamContent(new ZeroStream(MaxBytes + 1)))
        {
            chunked.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using HttpResponseMessage response = await host.Http.PostAsync(new Uri($"api/workflows/image-pipeline?name={name}", UriKind.Relative), chunked, Ct);
            await response.ExpectProblemAsync(HttpStatusCode.RequestEntityTooLarge, Ct, $"at most {MaxBytes} bytes");
        }

        Assert.IsFalse((await Storage.Blobs.GetBlobContainerClient("images-in").GetBlobClient(name).ExistsAsync(Ct)).Value, "nothing committed");
        await foreach (OrchestrationMetadata instance in host.Client.GetAllInstancesAsync(new OrchestrationQuery()))
        {
            Assert.Fail($"no refused upload starts an instance; found {instance.InstanceId}");
        }
    }

    Task<TestHost> StartHostAsync(string hostId, bool blobTriggers) => TestHost.StartAsync(
        new TestHostOptions { Backend = EngineBackend.AzureStorage, BlobTriggers = blobTriggers, Settings = Storage.HostSettings(hostId) },
        Ct);

    /// <summary>POSTs <paramref name="content"/> as <paramref name="name"/> with <c>wait=60</c>; returns the finished run's status (polled on past the wait on a loaded box).</summary>
    async Task<JsonElement> PostAsync(TestHost host, string name, byte[] content, string contentType)
    {
        using HttpResponseMessage response = await host.Http.PostAsync(
            new Uri($"api/workflows/image-pipeline?wait=60&name={Uri.EscapeDataString(name)}", UriKind.Relative), Content(content, contentType), Ct);
        return await response.ExpectFinishedAsync(host.Http, Ct);
    }

    async Task ExpectRefusedAsync(TestHost host, string workflow, string? name, byte[] content, HttpStatusCode expected, string mention)
    {
        string query = name is null ? "?wait=1" : $"?wait=1&name={Uri.EscapeDataString(name)}";
        using HttpResponseMessage response = await host.Http.PostAsync(
            new Uri($"api/workflows/{workflow}{query}", UriKind.Relative), Content(content, "image/jpeg"), Ct);
        await response.ExpectProblemAsync(expected, Ct, mention);
    }

    async Task<int> RunsForAsync(TestHost host, string name)
    {
        int runs = 0;
        await foreach (OrchestrationMetadata instance in host.Client.GetAllInstancesAsync(new OrchestrationQuery { FetchInputsAndOutputs = true }))
        {
            if (instance.ReadInputAs<BlobRef>()?.Name == name)
            {
                runs++;
            }
        }

        return runs;
    }

    /// <summary>The manifest a finished run's output names (<c>images-out/{stem}/manifest.json</c>).</summary>
    async Task<JsonDocument> ManifestAsync(JsonElement status)
    {
        string path = status.GetProperty("output").GetProperty("manifest").GetString()!;
        string name = path["images-out/".Length..];
        return JsonDocument.Parse((await Storage.Blobs.GetBlobContainerClient("images-out").GetBlobClient(name).DownloadContentAsync(Ct)).Value.Content);
    }

    static ByteArrayContent Content(byte[] bytes, string contentType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return content;
    }

    static byte[] Jpeg(int width, int height) => TestPhotos.UniformJpeg(width, height, quality: 85);

    /// <summary>A non-seekable stream of zeros of a given length: HttpClient sends it chunked, without a length.</summary>
    sealed class ZeroStream(long length) : Stream
    {
        long remaining = length;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = (int)Math.Min(count, remaining);
            Array.Clear(buffer, offset, n);
            remaining -= n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

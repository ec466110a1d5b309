using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Moq;
using Orchestration.Workflows.Samples;
using Orchestration.Workflows.Storage;
using Orchestration.Workflows.Tests.Infrastructure;

namespace Orchestration.Workflows.Tests.Samples;

[TestClass]
public sealed class WriteBlobDigestActivityTests
{
    sealed class Storage
    {
        public Storage()
        {
            Blob.Setup(b => b.UploadAsync(It.IsAny<BinaryData>(), It.IsAny<BlobUploadOptions>(), It.IsAny<CancellationToken>()))
                .Returns((BinaryData body, BlobUploadOptions options, CancellationToken _) =>
                {
                    Body = body;
                    Options = options;
                    return Task.FromResult(Response.FromValue(BlobsModelFactory.BlobContentInfo(new ETag("\"0x9\""), DateTimeOffset.UnixEpoch, null, null, null, null, 0), Mock.Of<Response>()));
                });
            Container.Setup(c => c.GetBlobClient(It.IsAny<string>())).Returns((string name) =>
            {
                BlobName = name;
                return Blob.Object;
            });
            Service.Setup(s => s.GetBlobContainerClient(It.IsAny<string>())).Returns((string name) =>
            {
                ContainerName = name;
                return Container.Object;
            });
        }

        public Mock<BlobServiceClient> Service { get; } = new();

        public Mock<BlobContainerClient> Container { get; } = new();

        public Mock<BlobClient> Blob { get; } = new();

        public BinaryData? Body { get; private set; }

        public BlobUploadOptions? Options { get; private set; }

        public string? ContainerName { get; private set; }

        public string? BlobName { get; private set; }
    }

    [TestMethod]
    public async Task RunAsync_Digest_WritesJsonNextToTheNameInSamplesOut()
    {
        var storage = new Storage();
        var digest = new BlobDigest("samples-in", "dir/report.csv", "\"0x1\"", 11, "abc123");

        string output = await new WriteBlobDigestActivity(storage.Service.Object)
            .RunAsync(ActivityContexts.For(nameof(WriteBlobDigestActivity)), digest);

        Assert.AreEqual("samples-out/dir/report.csv.sha256.json", output);
        Assert.AreEqual("samples-out", storage.ContainerName);
        Assert.AreEqual("dir/report.csv.sha256.json", storage.BlobName);
        Assert.AreEqual("application/json", storage.Options?.HttpHeaders?.ContentType);
        using JsonDocument json = JsonDocument.Parse(storage.Body!.ToString());
        Assert.AreEqual("abc123", json.RootElement.GetProperty("sha256").GetString());
        Assert.AreEqual(11, json.RootElement.GetProperty("length").GetInt64());
        Assert.AreEqual("dir/report.csv", json.RootElement.GetProperty("name").GetString());
    }

    [TestMethod]
    public async Task RunAsync_LongestValidInputName_OutputNameWithinAzureLimit()
    {
        var storage = new Storage();
        string name = new('n', BlobRef.MaxNameLength);
        Assert.IsEmpty(new BlobRef("samples-in", name, "\"0x1\"").Validate(), "precondition: the input name is valid");

        await new WriteBlobDigestActivity(storage.Service.Object)
            .RunAsync(ActivityContexts.For(nameof(WriteBlobDigestActivity)), new BlobDigest("samples-in", name, "\"0x1\"", 0, "00"));

        Assert.IsLessThanOrEqualTo(BlobRef.MaxNameLength, storage.BlobName!.Length);
    }
}

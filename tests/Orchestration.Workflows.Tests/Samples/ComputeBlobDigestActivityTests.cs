using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Moq;
using Orchestration.Workflows.Samples;
using Orchestration.Workflows.Storage;
using Orchestration.Workflows.Tests.Infrastructure;

namespace Orchestration.Workflows.Tests.Samples;

[TestClass]
public sealed class ComputeBlobDigestActivityTests
{
    /// <summary>SHA-256 of "hello world", computed with sha256sum.</summary>
    const string HelloWorldSha256 = "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9";

    sealed class Storage
    {
        public Storage(byte[] content, string currentETag)
        {
            // A conditional download returns the version it was pinned to; an unconditional one the current version.
            Blob.Setup(b => b.DownloadStreamingAsync(It.IsAny<BlobDownloadOptions>(), It.IsAny<CancellationToken>()))
                .Returns((BlobDownloadOptions options, CancellationToken _) =>
                {
                    ReadOptions = options;
                    ETag served = options?.Conditions?.IfMatch ?? new ETag(currentETag);
                    return Task.FromResult(Response.FromValue(
                        BlobsModelFactory.BlobDownloadStreamingResult(
                            content: new MemoryStream(content),
                            details: BlobsModelFactory.BlobDownloadDetails(eTag: served)),
                        Mock.Of<Response>()));
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

        public BlobDownloadOptions? ReadOptions { get; private set; }

        public string? ContainerName { get; private set; }

        public string? BlobName { get; private set; }
    }

    [TestMethod]
    public async Task RunAsync_HelloWorldBlob_ReturnsSha256AndLength()
    {
        var storage = new Storage(Encoding.ASCII.GetBytes("hello world"), "\"0x1\"");

        BlobDigest digest = await new ComputeBlobDigestActivity(storage.Service.Object)
            .RunAsync(ActivityContexts.For(nameof(ComputeBlobDigestActivity)), new BlobRef("samples-in", "a/b.txt", "\"0x1\""));

        Assert.AreEqual(new BlobDigest("samples-in", "a/b.txt", "\"0x1\"", 11, HelloWorldSha256), digest);
        Assert.AreEqual("samples-in", storage.ContainerName);
        Assert.AreEqual("a/b.txt", storage.BlobName);
    }

    [TestMethod]
    public async Task RunAsync_ContentLargerThanOneBuffer_HashesEveryByte()
    {
        byte[] content = new byte[200_000];
        for (int i = 0; i < content.Length; i++)
        {
            content[i] = (byte)(i % 251);
        }

        string expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
        var storage = new Storage(content, "\"0x2\"");

        BlobDigest digest = await new ComputeBlobDigestActivity(storage.Service.Object)
            .RunAsync(ActivityContexts.For(nameof(ComputeBlobDigestActivity)), new BlobRef("samples-in", "big.bin", "\"0x2\""));

        Assert.AreEqual(200_000L, digest.Length);
        Assert.AreEqual(expected, digest.Sha256);
    }

    [TestMethod]
    public async Task RunAsync_WithETag_ReadsOnlyThatVersion()
    {
        var storage = new Storage([1, 2, 3], "\"0x3\"");

        await new ComputeBlobDigestActivity(storage.Service.Object)
            .RunAsync(ActivityContexts.For(nameof(ComputeBlobDigestActivity)), new BlobRef("samples-in", "x", "\"0x3\""));

        Assert.AreEqual(new ETag("\"0x3\""), storage.ReadOptions?.Conditions?.IfMatch);
    }

    [TestMethod]
    public async Task RunAsync_WithoutETag_ReadsWithoutCondition()
    {
        var storage = new Storage([1, 2, 3], "\"0x3\"");

        BlobDigest digest = await new ComputeBlobDigestActivity(storage.Service.Object)
            .RunAsync(ActivityContexts.For(nameof(ComputeBlobDigestActivity)), new BlobRef("samples-in", "x"));

        Assert.IsNull(storage.ReadOptions?.Conditions);
        Assert.AreEqual("\"0x3\"", digest.ETag);
    }

    [TestMethod]
    public async Task RunAsync_BlobChangesAfterRead_ReportsTheETagOfTheVersionHashed()
    {
        // The read is pinned to "0x1" although the blob is already "0x2" by now.
        var storage = new Storage(Encoding.ASCII.GetBytes("hello world"), "\"0x2\"");

        BlobDigest digest = await new ComputeBlobDigestActivity(storage.Service.Object)
            .RunAsync(ActivityContexts.For(nameof(ComputeBlobDigestActivity)), new BlobRef("samples-in", "x", "\"0x1\""));

        Assert.AreEqual(HelloWorldSha256, digest.Sha256);
        Assert.AreEqual("\"0x1\"", digest.ETag, "the digest must name the version whose bytes it hashed");
    }

    [TestMethod]
    [DataRow(404, "does not exist")]
    [DataRow(412, "changed after it was triggered")]
    [DataRow(403, "cannot be read")]
    public async Task RunAsync_PermanentStorageError_ThrowsInvalidOperationNamingTheBlob(int status, string phrase)
    {
        var storage = new Storage([], "\"0x1\"");
        storage.Blob.Setup(b => b.DownloadStreamingAsync(It.IsAny<BlobDownloadOptions>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(status, "refused"));

        InvalidOperationException ex = await Assert.ThrowsExactlyAsync<InvalidOperationException>(
            () => new ComputeBlobDigestActivity(storage.Service.Object)
                .RunAsync(ActivityContexts.For(nameof(ComputeBlobDigestActivity)), new BlobRef("samples-in", "gone.txt", "\"0x1\"")));

        Assert.Contains("samples-in/gone.txt", ex.Message);
        Assert.Contains(phrase, ex.Message);
        Assert.IsInstanceOfType<RequestFailedException>(ex.InnerException);
    }

    [TestMethod]
    [DataRow(500)]
    [DataRow(503)]
    public async Task RunAsync_ServerError_RethrowsRequestFailedForRetry(int status)
    {
        var storage = new Storage([], "\"0x1\"");
        storage.Blob.Setup(b => b.DownloadStreamingAsync(It.IsAny<BlobDownloadOptions>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(status, "busy"));

        RequestFailedException ex = await Assert.ThrowsExactlyAsync<RequestFailedException>(
            () => new ComputeBlobDigestActivity(storage.Service.Object)
                .RunAsync(ActivityContexts.For(nameof(ComputeBlobDigestActivity)), new BlobRef("samples-in", "x", "\"0x1\"")));

        Assert.AreEqual(status, ex.Status);
    }
}

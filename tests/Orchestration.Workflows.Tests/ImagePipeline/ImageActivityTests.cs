using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Moq;
using Orchestration.Workflows.ImagePipeline;
using Orchestration.Workflows.Imaging;
using Orchestration.Workflows.Storage;
using Orchestration.Workflows.Tests.Imaging;
using Orchestration.Workflows.Tests.Infrastructure;

namespace Orchestration.Workflows.Tests.ImagePipeline;

[TestClass]
public sealed class ImageActivityTests
{
    const string SourceETag = "\"0x8D1\"";

    static readonly ImagePipelineDefinition OneSmallProfile = new()
    {
        Profiles = [new DeviceProfile { Name = "small", Width = 200, Height = 200, Formats = [ImageFormat.Jpeg], Watermark = false }],
    };

    /// <summary>A mocked account: one source blob in images-in; every upload to any container is captured by path.</summary>
    sealed class Storage
    {
        readonly Dictionary<string, Mock<BlobContainerClient>> containers = new(StringComparer.Ordinal);

        public Storage(byte[] source, string sourceName, IDictionary<string, string>? tags = null)
        {
            SourceBytes = source;
            tags ??= new Dictionary<string, string>();
            Source.Setup(b => b.GetPropertiesAsync(It.IsAny<BlobRequestConditions>(), It.IsAny<CancellationToken>()))
                .ReturnsAsync(Response.FromValue(
                    BlobsModelFactory.BlobProperties(contentLength: source.LongLength, eTag: new ETag(SourceETag), tagCount: tags.Count),
                    Mock.Of<Response>()));
            Source.Setup(b => b.GetTagsAsync(It.IsAny<BlobRequestConditions>(), It.IsAny<CancellationToken>()))
                .ReturnsAsync(Response.FromValue(BlobsModelFactory.GetBlobTagResult(tags), Mock.Of<Response>()));
            Source.Setup(b => b.DownloadStreamingAsync(It.IsAny<BlobDownloadOptions>(), It.IsAny<CancellationToken>()))
                .Returns((BlobDownloadOptions options, CancellationToken _) =>
                {
                    Downloads.Add(options);
                    return Task.FromResult(Response.FromValue(
                        BlobsModelFactory.BlobDownloadStreamingResult(
                            content: new MemoryStream(SourceBytes),
                            details: BlobsModelFactory.BlobDownloadDetails(eTag: new ETag(SourceETag), contentType: "image/jpeg")),
                        Mock.Of<Response>()));
                });
            Source.Setup(b => b.DownloadContentAsync(It.IsAny<BlobDownloadOptions>(), It.IsAny<CancellationToken>()))
                .Returns((BlobDownloadOptions options, CancellationToken _) =>
                {
                    Downloads.Add(options);
                    return Task.FromResult(Response.FromValue(
                        BlobsModelFactory.BlobDownloadResult(
                            content: BinaryData.FromBytes(SourceBytes),
                            details: BlobsModelFactory.BlobDownloadDetails(eTag: new ETag(SourceETag), contentType: "image/jpeg")),
                        Mock.Of<Response>()));
                });
            Container("images-in").Setup(c => c.GetBlobClient(sourceName)).Returns(Source.Object);
            Service.Setup(s => s.GetBlobContainerClient(It.IsAny<string>())).Returns((string name) => Container(name).Object);
        }

        public Mock<BlobServiceClient> Service { get; } = new();

        public Mock<BlobClient> Source { get; } = new();

        public byte[] SourceBytes { get; }

        public List<BlobDownloadOptions> Downloads { get; } = [];

        /// <summary>Uploads by <c>container/name</c>: body and content type.</summary>
        public Dictionary<string, (byte[] Body, string? ContentType)> Uploads { get; } = new(StringComparer.Ordinal);

        Mock<BlobContainerClient> Container(string name)
        {
            if (containers.TryGetValue(name, out Mock<BlobContainerClient>? existing))
            {
                return existing;
            }

            var container = new Mock<BlobContainerClient>();
            container.Setup(c => c.GetBlobClient(It.IsAny<string>())).Returns((string blobName) => Uploading($"{name}/{blobName}").Object);
            containers[name] = container;
            return container;
        }

        Mock<BlobClient> Uploading(string path)
        {
            var blob = new Mock<BlobClient>();
            Response<BlobContentInfo> info = Response.FromValue(BlobsModelFactory.BlobContentInfo(new ETag("\"0x9\""), DateTimeOffset.UnixEpoch, null, null, null, null, 0), Mock.Of<Response>());
            blob.Setup(b => b.UploadAsync(It.IsAny<BinaryData>(), It.IsAny<BlobUploadOptions>(), It.IsAny<CancellationToken>()))
                .Returns((BinaryData body, BlobUploadOptions options, CancellationToken _) =>
                {
                    Uploads[path] = (body.ToArray(), options.HttpHeaders?.ContentType);
                    return Task.FromResult(info);
                });
            blob.Setup(b => b.UploadAsync(It.IsAny<Stream>(), It.IsAny<BlobUploadOptions>(), It.IsAny<CancellationToken>()))
                .Returns((Stream body, BlobUploadOptions options, CancellationToken _) =>
                {
                    using var copy = new MemoryStream();
                    body.CopyTo(copy);
                    Uploads[path] = (copy.ToArray(), options.HttpHeaders?.ContentType);
                    return Task.FromResult(info);
                });
            return blob;
        }
    }

    [TestMethod]
    public async Task RejectImage_TextNamedJpg_CopiesItAndWritesReasonJsonWithCodeAndReason()
    {
        byte[] text = Encoding.UTF8.GetBytes("not an image at all");
        var storage = new Storage(text, "dir/notes.jpg");
        var rejected = new Inspection.Rejected(RejectionCode.NotAnImage, "The file is not an image.", "JPEG, PNG images of at most 50 MB");

        string output = await new RejectImageActivity(storage.Service.Object, new ImagePipelineDefinition())
            .RunAsync(ActivityContexts.For(nameof(RejectImageActivity), "image-7"), new RejectRequest(new BlobRef("images-in", "dir/notes.jpg", SourceETag), rejected));

        Assert.AreEqual("images-rejected/dir/notes.jpg.reason.json", output);
        CollectionAssert.AreEqual(text, storage.Uploads["images-rejected/dir/notes.jpg"].Body, "the source is copied unchanged");
        Assert.AreEqual(SourceETag, storage.Downloads.Single().Conditions?.IfMatch?.ToString(), "copies exactly the inspected version");
        (byte[] body, string? contentType) = storage.Uploads["images-rejected/dir/notes.jpg.reason.json"];
        Assert.AreEqual("application/json", contentType);
        using JsonDocument json = JsonDocument.Parse(body);
        Assert.AreEqual("NotAnImage", json.RootElement.GetProperty("code").GetString());
        Assert.AreEqual("The file is not an image.", json.RootElement.GetProperty("reason").GetString());
        Assert.AreEqual("JPEG, PNG images of at most 50 MB", json.RootElement.GetProperty("allowed").GetString());
        Assert.AreEqual(SourceETag, json.RootElement.GetProperty("eTag").GetString());
        Assert.AreEqual("image-7", json.RootElement.GetProperty("instance").GetString());
    }

    [TestMethod]
    public async Task RenderVariants_SmallJpeg_UploadsEveryVariantUnderTheStem()
    {
        using NetVips.Image image = TestImages.Photo(320, 240);
        byte[] jpeg = TestImages.Jpeg(image);
        var accepted = (Inspection.Accepted)ImageInspector.Inspect(jpeg, new ImageLimits());
        var storage = new Storage(jpeg, "a.jpg");
        RenderResult result = await new RenderVariantsActivity(storage.Service.Object, OneSmallProfile, new VariantRenderer(), new RenderGate(1))
            .RunAsync(ActivityContexts.For(nameof(RenderVariantsActivity)), new RenderRequest(new BlobRef("images-in", "a.jpg", SourceETag), accepted, "a"));

        Assert.IsNull(result.Rejection);
        VariantInfo variant = result.Variants.Single();
        Assert.AreEqual("images-out/a/small.jpg", variant.Blob);
        Assert.AreEqual((200, 150), (variant.Width, variant.Height));
        Assert.IsTrue(storage.Uploads.ContainsKey("images-out/a/small.jpg"));
    }

    [TestMethod]
    public async Task RenderVariants_PixelDataDamagedPastInspection_RejectedCorruptWithoutUploading()
    {
        using NetVips.Image image = TestImages.Photo(400, 300);
        byte[] jpeg = TestImages.Jpeg(image);
        var accepted = (Inspection.Accepted)ImageInspector.Inspect(jpeg, new ImageLimits());
        var storage = new Storage(jpeg[..(jpeg.Length / 2)], "cut.jpg");

        RenderResult result = await new RenderVariantsActivity(storage.Service.Object, OneSmallProfile, new VariantRenderer(), new RenderGate(1))
            .RunAsync(ActivityContexts.For(nameof(RenderVariantsActivity)), new RenderRequest(new BlobRef("images-in", "cut.jpg", SourceETag), accepted, "cut"));

        Assert.IsEmpty(result.Variants);
        Assert.IsNotNull(result.Rejection);
        Assert.AreEqual(RejectionCode.Corrupt, result.Rejection.Code);
        StringAssert.Contains(result.Rejection.Reason, "JPEG");
        StringAssert.Contains(result.Rejection.Reason, "upload the new file");
        Assert.AreEqual(ImageInspector.DescribeAllowed(new ImageLimits()), result.Rejection.Allowed);
        Assert.IsEmpty(storage.Uploads, "nothing written for an image that did not render");
    }

    [TestMethod]
    public async Task RenderVariants_RenderFailsOnAValidSource_ThrowsImageRenderExceptionInsteadOfCorrupt()
    {
        // The source decodes; the WebP encoder refuses a 16384-px side. Our failure: the activity fails (and is retried), no verdict.
        using NetVips.Image image = TestImages.Photo(16384, 4);
        byte[] png = TestImages.Png(image);
        var accepted = (Inspection.Accepted)ImageInspector.Inspect(png, new ImageLimits());
        var storage = new Storage(png, "wide.png");
        var definition = new ImagePipelineDefinition
        {
            Profiles = [new DeviceProfile { Name = "huge", Width = 16384, Height = 16384, Formats = [ImageFormat.WebP], Watermark = false }],
        };

        ImageRenderException thrown = await Assert.ThrowsExactlyAsync<ImageRenderException>(() => new RenderVariantsActivity(storage.Service.Object, definition, new VariantRenderer(), new RenderGate(1))
            .RunAsync(ActivityContexts.For(nameof(RenderVariantsActivity)), new RenderRequest(new BlobRef("images-in", "wide.png", SourceETag), accepted, "wide")));

        StringAssert.Contains(thrown.Message, "webpsave", StringComparison.Ordinal);
        Assert.IsEmpty(storage.Uploads);
    }

    [TestMethod]
    public void RenderVariantsOptions_RetriesRenderFailuresAndTransientFaults_NotBadInput()
    {
        Func<Microsoft.DurableTask.TaskFailureDetails, bool> handles = RenderVariantsActivity.IsRetried;

        Assert.IsTrue(handles(new(typeof(ImageRenderException).FullName!, "unable to call webpsave_buffer", null, null, null)));
        Assert.IsTrue(handles(new(typeof(TimeoutException).FullName!, "slow", null, null, null)));
        Assert.IsFalse(handles(new(typeof(ArgumentException).FullName!, "bad profile", null, null, null)));
        Assert.AreEqual(5, RenderVariantsActivity.Options.Retry?.Policy?.MaxNumberOfAttempts);
    }

    [TestMethod]
    public async Task RejectImage_LongestName_ReasonNameHashedWithinAzureLimit()
    {
        string name = new('n', BlobRef.MaxNameLength);
        var storage = new Storage([1, 2, 3], name);

        string output = await new RejectImageActivity(storage.Service.Object, new ImagePipelineDefinition())
            .RunAsync(ActivityContexts.For(nameof(RejectImageActivity)), new RejectRequest(new BlobRef("images-in", name, SourceETag), new Inspection.Rejected(RejectionCode.Corrupt, "r", "a")));

        StringAssert.StartsWith(output, "images-rejected/~long/");
        Assert.IsTrue(storage.Uploads.ContainsKey($"images-rejected/{name}"));
        Assert.IsLessThanOrEqualTo(BlobRef.MaxNameLength, output.Length - "images-rejected/".Length);
    }

    [TestMethod]
    public async Task InspectImage_OverTheByteLimit_RejectedFromPropertiesWithoutDownloading()
    {
        var storage = new Storage(new byte[101], "big.jpg");
        var definition = new ImagePipelineDefinition { Limits = new ImageLimits { MaxBytes = 100 } };

        SourceInspection result = await new InspectImageActivity(storage.Service.Object, definition, new RenderGate(1))
            .RunAsync(ActivityContexts.For(nameof(InspectImageActivity)), new BlobRef("images-in", "big.jpg", SourceETag));

        Assert.AreEqual(RejectionCode.TooLarge, ((Inspection.Rejected)result.Verdict!).Code);
        Assert.AreEqual(SourceETag, result.ETag);
        Assert.IsEmpty(storage.Downloads);
    }

    [TestMethod]
    public async Task InspectImage_SmallPng_AcceptedReadingAtMostMaxBytesPlusOne()
    {
        using NetVips.Image image = TestImages.Photo(64, 48);
        var storage = new Storage(TestImages.Png(image), "a.png");

        SourceInspection result = await new InspectImageActivity(storage.Service.Object, new ImagePipelineDefinition(), new RenderGate(1))
            .RunAsync(ActivityContexts.For(nameof(InspectImageActivity)), new BlobRef("images-in", "a.png", SourceETag));

        var accepted = (Inspection.Accepted)result.Verdict!;
        Assert.AreEqual(ImageFormat.Png, accepted.Format);
        Assert.AreEqual(64, accepted.Width);
        Assert.AreEqual(new ImageLimits().MaxBytes + 1, storage.Downloads.Single().Range.Length);
        Assert.AreEqual(SourceETag, storage.Downloads.Single().Conditions?.IfMatch?.ToString());
    }

    [TestMethod]
    public async Task InspectImage_AlreadyMarked_ReportsTheMarkWithoutDownloading()
    {
        var storage = new Storage([1, 2, 3], "a.jpg", new Dictionary<string, string> { [MarkSourceDoneActivity.StatusKey] = "processed" });

        SourceInspection result = await new InspectImageActivity(storage.Service.Object, new ImagePipelineDefinition(), new RenderGate(1))
            .RunAsync(ActivityContexts.For(nameof(InspectImageActivity)), new BlobRef("images-in", "a.jpg"));

        Assert.AreEqual("processed", result.Mark);
        Assert.IsNull(result.Verdict);
        Assert.IsEmpty(storage.Downloads);
    }

    [TestMethod]
    public async Task MarkSourceDone_Processed_TagsTheInspectedVersionKeepingExistingTags()
    {
        var storage = new Storage([1, 2, 3], "a.jpg");
        BlobRequestConditions? checkedVersion = null;
        storage.Source.Setup(b => b.GetPropertiesAsync(It.IsAny<BlobRequestConditions>(), It.IsAny<CancellationToken>()))
            .Returns((BlobRequestConditions c, CancellationToken _) =>
            {
                checkedVersion = c;
                return Task.FromResult(Response.FromValue(BlobsModelFactory.BlobProperties(eTag: new ETag(SourceETag), tagCount: 1), Mock.Of<Response>()));
            });
        storage.Source.Setup(b => b.GetTagsAsync(It.IsAny<BlobRequestConditions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Response.FromValue(BlobsModelFactory.GetBlobTagResult(new Dictionary<string, string> { ["owner"] = "ann" }), Mock.Of<Response>()));
        IDictionary<string, string>? written = null;
        storage.Source.Setup(b => b.SetTagsAsync(It.IsAny<IDictionary<string, string>>(), It.IsAny<BlobRequestConditions>(), It.IsAny<CancellationToken>()))
            .Returns((IDictionary<string, string> tags, BlobRequestConditions _, CancellationToken _) =>
            {
                written = tags;
                return Task.FromResult(Mock.Of<Response>());
            });

        bool marked = await new MarkSourceDoneActivity(storage.Service.Object)
            .RunAsync(ActivityContexts.For(nameof(MarkSourceDoneActivity), "image-9"), new MarkRequest(new BlobRef("images-in", "a.jpg", SourceETag), ImageOutcome.Processed));

        Assert.IsTrue(marked);
        Assert.AreEqual(SourceETag, checkedVersion?.IfMatch?.ToString());
        Assert.AreEqual("processed", written![MarkSourceDoneActivity.StatusKey]);
        Assert.AreEqual("image-9", written[MarkSourceDoneActivity.InstanceKey]);
        Assert.AreEqual("ann", written["owner"]);
        storage.Source.Verify(b => b.SetMetadataAsync(It.IsAny<IDictionary<string, string>>(), It.IsAny<BlobRequestConditions>(), It.IsAny<CancellationToken>()), Times.Never,
            "metadata would change the ETag and re-trigger the blob");
    }

    [TestMethod]
    public async Task MarkSourceDone_BlobChangedMeanwhile_FalseWithoutFailing()
    {
        var storage = new Storage([1, 2, 3], "a.jpg");
        storage.Source.Setup(b => b.GetPropertiesAsync(It.IsAny<BlobRequestConditions>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(412, "changed", "ConditionNotMet", null));

        bool marked = await new MarkSourceDoneActivity(storage.Service.Object)
            .RunAsync(ActivityContexts.For(nameof(MarkSourceDoneActivity)), new MarkRequest(new BlobRef("images-in", "a.jpg", SourceETag), ImageOutcome.Rejected));

        Assert.IsFalse(marked);
    }
}

using System.Diagnostics;
using System.Text;
using NetVips;
using Orchestration.Workflows.Imaging;

namespace Orchestration.Workflows.Tests.Imaging;

[TestClass]
public sealed class ImageInspectorTests
{
    private static readonly ImageLimits Limits = new();

    [TestMethod]
    public void Inspect_JpegWithOrientation6_AcceptedWithStoredAndDisplayDimensions()
    {
        using var photo = TestImages.Photo(400, 300);
        var jpeg = TestImages.JpegWithExif(photo, orientation: 6);

        var verdict = ImageInspector.Inspect(jpeg, Limits);

        var accepted = AssertAccepted(verdict);
        Assert.AreEqual(ImageFormat.Jpeg, accepted.Format);
        Assert.AreEqual(400, accepted.Width);
        Assert.AreEqual(300, accepted.Height);
        Assert.AreEqual(6, accepted.Orientation);
        Assert.AreEqual(300, accepted.DisplayWidth);
        Assert.AreEqual(400, accepted.DisplayHeight);
        Assert.AreEqual(3, accepted.Bands);
        Assert.IsFalse(accepted.HasAlpha);
        Assert.AreEqual("srgb", accepted.Interpretation);
        Assert.AreEqual(1, accepted.Pages);
        Assert.AreEqual(jpeg.LongLength, accepted.Bytes);
    }

    [TestMethod]
    public void Inspect_PngWithAlpha_AcceptedWithAlpha()
    {
        using var photo = TestImages.Photo(64, 48);
        using var alpha = Image.Black(64, 48) + 128;
        using var rgba = photo.Bandjoin(alpha.Cast(Enums.BandFormat.Uchar));

        var accepted = AssertAccepted(ImageInspector.Inspect(rgba.PngsaveBuffer(), Limits));

        Assert.AreEqual(ImageFormat.Png, accepted.Format);
        Assert.AreEqual(4, accepted.Bands);
        Assert.IsTrue(accepted.HasAlpha);
        Assert.AreEqual(1, accepted.Orientation);
    }

    [TestMethod]
    public void Inspect_CmykJpeg_AcceptedAsCmyk()
    {
        using var photo = TestImages.Photo(64, 48);
        using var cmyk = photo.Colourspace(Enums.Interpretation.Cmyk);

        var accepted = AssertAccepted(ImageInspector.Inspect(cmyk.JpegsaveBuffer(), Limits));

        Assert.AreEqual("cmyk", accepted.Interpretation);
        Assert.AreEqual(4, accepted.Bands);
        Assert.IsFalse(accepted.HasAlpha);
    }

    [TestMethod]
    public void Inspect_AnimatedGif_AcceptedWithPagesAndFirstFrameSize()
    {
        using var a = TestImages.Solid(40, 30, [255, 0, 0]);
        using var b = TestImages.Solid(40, 30, [0, 255, 0]);
        using var c = TestImages.Solid(40, 30, [0, 0, 255]);
        using var strip = Image.Arrayjoin([a, b, c], across: 1);
        using var animated = strip.Mutate(m => m.Set(GValue.GIntType, "page-height", 30));

        var accepted = AssertAccepted(ImageInspector.Inspect(animated.GifsaveBuffer(), Limits));

        Assert.AreEqual(ImageFormat.Gif, accepted.Format);
        Assert.AreEqual(3, accepted.Pages);
        Assert.IsTrue(accepted.Animated);
        Assert.AreEqual(40, accepted.Width);
        Assert.AreEqual(30, accepted.Height);
    }

    [TestMethod]
    public void Inspect_ZeroBytes_RejectedEmpty()
    {
        AssertRejected(ImageInspector.Inspect([], Limits), RejectionCode.Empty);
        using var empty = new MemoryStream();
        AssertRejected(ImageInspector.Inspect(empty, 0, Limits), RejectionCode.Empty);
    }

    [TestMethod]
    public void Inspect_TextFileNamedJpg_RejectedNotAnImage()
    {
        var text = Encoding.UTF8.GetBytes("holiday.jpg\nThis is not a photo, just a text file with an image's name.\n");

        var rejected = AssertRejected(ImageInspector.Inspect(text, Limits), RejectionCode.NotAnImage);

        StringAssert.Contains(rejected.Reason, "not an image");
    }

    [TestMethod]
    public void Inspect_JpegCutInHalf_RejectedCorrupt()
    {
        using var photo = TestImages.Photo(400, 300);
        var jpeg = TestImages.Jpeg(photo);
        var half = jpeg[..(jpeg.Length / 2)];

        AssertRejected(ImageInspector.Inspect(half, Limits), RejectionCode.Corrupt);
    }

    [TestMethod]
    public void Inspect_PngCutInHalf_RejectedCorrupt()
    {
        using var photo = TestImages.Photo(200, 150);
        var png = TestImages.Png(photo);

        AssertRejected(ImageInspector.Inspect(png[..(png.Length / 2)], Limits), RejectionCode.Corrupt);
    }

    [TestMethod]
    public void Inspect_JpegHeaderOnly_RejectedCorrupt()
    {
        using var photo = TestImages.Photo(400, 300);
        var jpeg = TestImages.Jpeg(photo);

        // Only the signature and a few bytes: no frame header at all.
        AssertRejected(ImageInspector.Inspect(jpeg[..20], Limits), RejectionCode.Corrupt);
    }

    [TestMethod]
    public void Inspect_30000x30000PngBomb_RejectedTooManyPixelsFast()
    {
        var bomb = TestImages.PngHeaderOnly(30000, 30000);
        ImageSafety.EnsureInitialized();
        var clock = Stopwatch.StartNew();

        var verdict = ImageInspector.Inspect(bomb, Limits);

        clock.Stop();
        var rejected = AssertRejected(verdict, RejectionCode.TooManyPixels);
        StringAssert.Contains(rejected.Reason, "30000×30000");
        // Reading the header takes milliseconds; allocating and filling 900 Mpx would take many seconds. The bound is set far
        // above the first so that a loaded box never fails it, and far below the second.
        Assert.IsLessThan(10_000, clock.ElapsedMilliseconds, $"took {clock.ElapsedMilliseconds} ms");
        Assert.IsLessThan(200, bomb.Length);
    }

    [TestMethod]
    public void Inspect_PixelsJustOverLimit_RejectedTooManyPixels()
    {
        using var photo = TestImages.Photo(100, 100);
        var png = TestImages.Png(photo);

        AssertRejected(ImageInspector.Inspect(png, Limits with { MaxPixels = 9_999 }), RejectionCode.TooManyPixels);
        AssertAccepted(ImageInspector.Inspect(png, Limits with { MaxPixels = 10_000 }));
    }

    [TestMethod]
    public void Inspect_Bmp_RejectedUnsupportedFormat()
    {
        // BITMAPFILEHEADER + BITMAPINFOHEADER of a 1×1 24-bit BMP, then one padded pixel row.
        byte[] bmp =
        [
            0x42, 0x4D, 58, 0, 0, 0, 0, 0, 0, 0, 54, 0, 0, 0,
            40, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 24, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0x13, 0x0B, 0, 0, 0x13, 0x0B, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 255, 0,
        ];

        var rejected = AssertRejected(ImageInspector.Inspect(bmp, Limits), RejectionCode.UnsupportedFormat);

        StringAssert.Contains(rejected.Reason, "BMP");
        StringAssert.Contains(rejected.Allowed, "JPEG");
    }

    [TestMethod]
    public void Inspect_TiffWhenTiffNotAllowed_RejectedUnsupportedFormat()
    {
        using var photo = TestImages.Photo(32, 32);
        var tiff = photo.TiffsaveBuffer();
        var limits = Limits with { AllowedFormats = [ImageFormat.Jpeg, ImageFormat.Png] };

        var rejected = AssertRejected(ImageInspector.Inspect(tiff, limits), RejectionCode.UnsupportedFormat);

        Assert.AreEqual("JPEG, PNG images of at most 50 MB and 100 megapixels", rejected.Allowed);
        AssertAccepted(ImageInspector.Inspect(tiff, Limits));
    }

    [TestMethod]
    public void Inspect_AvifEvenWhenHeifAllowed_RejectedUnsupportedFormat()
    {
        byte[] avif = [0, 0, 0, 0x1C, .. "ftypavif"u8, 0, 0, 0, 0, .. "avifmif1miaf"u8];
        var limits = Limits with { AllowedFormats = [ImageFormat.Jpeg, ImageFormat.Heif] };

        var rejected = AssertRejected(ImageInspector.Inspect(avif, limits), RejectionCode.UnsupportedFormat);

        StringAssert.Contains(rejected.Reason, "AVIF");
    }

    [TestMethod]
    public void Inspect_OverMaxBytes_RejectedTooLargeWithoutReading()
    {
        using var stream = new UnreadableStream();

        var rejected = AssertRejected(ImageInspector.Inspect(stream, 101, Limits with { MaxBytes = 100 }), RejectionCode.TooLarge);

        StringAssert.Contains(rejected.Reason, "over the limit");
    }

    [TestMethod]
    public void Inspect_StreamLongerThanAnnounced_RejectedTooLarge()
    {
        using var photo = TestImages.Photo(32, 32);
        var png = TestImages.Png(photo);
        using var stream = new MemoryStream(png);

        AssertRejected(ImageInspector.Inspect(stream, png.Length - 10, Limits), RejectionCode.TooLarge);
    }

    [TestMethod]
    public void Inspect_StreamOfJpeg_SameVerdictAsBytes()
    {
        using var photo = TestImages.Photo(120, 80);
        var jpeg = TestImages.Jpeg(photo);
        using var stream = new MemoryStream(jpeg);

        Assert.AreEqual(ImageInspector.Inspect(jpeg, Limits), ImageInspector.Inspect(stream, jpeg.Length, Limits));
    }

    [TestMethod]
    public void Inspect_DamagedFiles_RejectedCorrupt()
    {
        foreach (var (name, damaged) in TestImages.DamagedFiles())
        {
            var rejected = AssertRejected(ImageInspector.Inspect(damaged, Limits), RejectionCode.Corrupt);
            StringAssert.Contains(rejected.Reason, "corrupt", StringComparison.Ordinal, name);
        }
    }

    [TestMethod]
    public void Inspect_JpegWithExtraneousBytesBeforeItsScan_RejectedCorrupt()
    {
        // libjpeg only warns ("3 extraneous bytes before marker 0xda") and decodes it; a JPEG has no checksum, so its warnings
        // are the only sign of damaged data, and JPEGs are read with fail_on=warning: the price is this benign case.
        using var photo = TestImages.Photo(200, 100);
        var jpeg = TestImages.Jpeg(photo);
        var scan = jpeg.AsSpan().IndexOf([(byte)0xFF, (byte)0xDA]);
        byte[] padded = [.. jpeg[..scan], 0, 0, 0, .. jpeg[scan..]];

        AssertRejected(ImageInspector.Inspect(padded, Limits), RejectionCode.Corrupt);
    }

    [TestMethod]
    public void Inspect_HarmlessOddities_Accepted()
    {
        using var photo = TestImages.Photo(200, 100);
        var jpeg = TestImages.Jpeg(photo);
        var png = TestImages.Png(photo);

        AssertAccepted(ImageInspector.Inspect([.. jpeg, .. new byte[64]], Limits));
        AssertAccepted(ImageInspector.Inspect([.. png, .. new byte[64]], Limits));
        AssertAccepted(ImageInspector.Inspect(TestImages.PngWithBadAncillaryCrc(photo), Limits));
    }

    [TestMethod]
    public void Inspect_TruncatedJpegWithoutVerification_AcceptedFromHeader()
    {
        using var photo = TestImages.Photo(400, 300);
        var jpeg = TestImages.Jpeg(photo);

        var accepted = AssertAccepted(ImageInspector.Inspect(jpeg[..(jpeg.Length / 2)], Limits, verifyPixels: false));

        Assert.AreEqual((400, 300), (accepted.Width, accepted.Height));
    }

    [TestMethod]
    public void Inspection_JsonRoundTrip_KeepsVerdictAndFields()
    {
        Inspection accepted = new Inspection.Accepted(ImageFormat.Png, 10, 20, 6, 4, true, "srgb", 2, 123);
        Inspection rejected = new Inspection.Rejected(RejectionCode.TooManyPixels, "too big", "JPEG");

        var acceptedJson = System.Text.Json.JsonSerializer.Serialize(accepted);
        var rejectedJson = System.Text.Json.JsonSerializer.Serialize(rejected);

        StringAssert.Contains(acceptedJson, "\"verdict\":\"accepted\"");
        StringAssert.Contains(rejectedJson, "\"Code\":\"TooManyPixels\"");
        Assert.AreEqual(accepted, System.Text.Json.JsonSerializer.Deserialize<Inspection>(acceptedJson));
        Assert.AreEqual(rejected, System.Text.Json.JsonSerializer.Deserialize<Inspection>(rejectedJson));
    }

    private static Inspection.Accepted AssertAccepted(Inspection verdict) =>
        verdict as Inspection.Accepted ?? throw new AssertFailedException($"Expected Accepted, got {verdict}");

    private static Inspection.Rejected AssertRejected(Inspection verdict, RejectionCode code)
    {
        var rejected = verdict as Inspection.Rejected ?? throw new AssertFailedException($"Expected Rejected {code}, got {verdict}");
        Assert.AreEqual(code, rejected.Code, rejected.Reason);
        Assert.IsFalse(string.IsNullOrWhiteSpace(rejected.Reason));
        Assert.IsFalse(string.IsNullOrWhiteSpace(rejected.Allowed));
        return rejected;
    }

    /// <summary>Fails the test if anything reads it.</summary>
    private sealed class UnreadableStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new AssertFailedException("The stream was read.");

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

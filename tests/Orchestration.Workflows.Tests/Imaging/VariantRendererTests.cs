using NetVips;
using Orchestration.Workflows.Imaging;

namespace Orchestration.Workflows.Tests.Imaging;

[TestClass]
public sealed class VariantRendererTests
{
    private static readonly ImageLimits Limits = new();
    private static readonly WatermarkSettings NoText = new() { Text = null };
    private static readonly VariantRenderer Renderer = new();

    [TestMethod]
    public void Render_JpegWithOrientation6_RotatedUprightWithoutExif()
    {
        // Red marker in the stored top-left corner; orientation 6 = rotate 90° clockwise to display,
        // so it must end up top-right in a 300×400 output.
        using var photo = TestImages.Solid(400, 300, [40, 40, 40]);
        using var red = TestImages.Solid(60, 60, [255, 0, 0]);
        using var marked = photo.Insert(red, 0, 0);
        var jpeg = TestImages.JpegWithExif(marked, orientation: 6);

        var variant = Render(jpeg, Profile(1920, 1920), NoText, ImageFormat.Jpeg);

        Assert.AreEqual(300, variant.Width);
        Assert.AreEqual(400, variant.Height);
        using var output = Image.NewFromBuffer(variant.Bytes);
        Assert.AreEqual(300, output.Width);
        Assert.AreEqual(400, output.Height);
        Assert.IsFalse(output.Contains("exif-data"));
        Assert.IsGreaterThan(200, output.Getpoint(300 - 30, 30)[0], "marker should be top-right");
        Assert.IsLessThan(100, output.Getpoint(30, 30)[0], "top-left should be plain");
    }

    [TestMethod]
    public void Render_ExifWithGps_StrippedFromJpegAndWebP()
    {
        using var photo = TestImages.Photo(200, 100);
        var jpeg = TestImages.JpegWithExif(photo, orientation: 1);
        using (var source = Image.NewFromBuffer(jpeg))
        {
            Assert.IsTrue(source.Contains("exif-ifd3-GPSLatitudeRef"), "fixture should carry GPS");
        }

        foreach (var format in new[] { ImageFormat.Jpeg, ImageFormat.WebP })
        {
            var variant = Render(jpeg, Profile(150, 150), NoText, format);

            using var output = Image.NewFromBuffer(variant.Bytes);
            var fields = output.GetFields();
            CollectionAssert.DoesNotContain(fields, "exif-data", format.ToString());
            CollectionAssert.DoesNotContain(fields, "xmp-data", format.ToString());
            Assert.IsFalse(fields.Any(f => f.StartsWith("exif-", StringComparison.Ordinal)), $"{format}: {string.Join(",", fields)}");
        }
    }

    [TestMethod]
    public void Render_KeepMetadata_KeepsExifWithUprightOrientation()
    {
        using var photo = TestImages.Photo(200, 100);
        var jpeg = TestImages.JpegWithExif(photo, orientation: 6);

        var variant = Render(jpeg, Profile(1000, 1000) with { KeepMetadata = true }, NoText, ImageFormat.Jpeg);

        using var output = Image.NewFromBuffer(variant.Bytes);
        Assert.AreEqual(100, output.Width);
        Assert.AreEqual(200, output.Height);
        Assert.IsTrue(output.Contains("exif-data"));
        StringAssert.StartsWith((string)output.Get("exif-ifd0-Make"), "Acme");
        Assert.AreEqual(1, (int)output.Get("orientation"));
    }

    [TestMethod]
    public void Render_SourceSmallerThanBox_NeverUpscaled()
    {
        using var photo = TestImages.Photo(300, 200);

        var variant = Render(TestImages.Png(photo), Profile(1920, 1080), NoText, ImageFormat.Jpeg);

        Assert.AreEqual(300, variant.Width);
        Assert.AreEqual(200, variant.Height);
        using var output = Image.NewFromBuffer(variant.Bytes);
        Assert.AreEqual(300, output.Width);
        Assert.AreEqual(200, output.Height);
    }

    [TestMethod]
    public void Render_Contain_FitsInsideBoxKeepingAspect()
    {
        using var photo = TestImages.Photo(1600, 1200);

        var variant = Render(TestImages.Jpeg(photo), Profile(640, 640), NoText, ImageFormat.Jpeg);

        // Scale = min(640/1600, 640/1200) = 0.4.
        Assert.AreEqual(640, variant.Width);
        Assert.AreEqual(480, variant.Height);
    }

    [TestMethod]
    public void Render_ContainWithoutHeight_BoundedByWidthOnly()
    {
        using var photo = TestImages.Photo(800, 1600);

        var variant = Render(TestImages.Jpeg(photo), Profile(400, 0), NoText, ImageFormat.Jpeg);

        Assert.AreEqual(400, variant.Width);
        Assert.AreEqual(800, variant.Height);
    }

    [TestMethod]
    public void Render_Cover_ExactlyBoxSize()
    {
        using var photo = TestImages.Photo(800, 600);

        var variant = Render(TestImages.Jpeg(photo), Profile(150, 150) with { Fit = FitMode.Cover }, NoText, ImageFormat.Jpeg);

        Assert.AreEqual(150, variant.Width);
        Assert.AreEqual(150, variant.Height);
        using var output = Image.NewFromBuffer(variant.Bytes);
        Assert.AreEqual(150, output.Width);
        Assert.AreEqual(150, output.Height);
    }

    [TestMethod]
    public void Render_16BitPng_EightBitSrgbJpeg()
    {
        using var photo = TestImages.Photo(320, 240);
        using var deep = photo.Colourspace(Enums.Interpretation.Rgb16);
        var png = deep.PngsaveBuffer();
        var accepted = Accept(png);
        Assert.AreEqual("rgb16", accepted.Interpretation);

        var variant = Renderer.Render(png, accepted, Profile(160, 160), NoText, ImageFormat.Jpeg);

        using var output = Image.NewFromBuffer(variant.Bytes);
        Assert.AreEqual(Enums.BandFormat.Uchar, output.Format);
        Assert.AreEqual(Enums.Interpretation.Srgb, output.Interpretation);
        Assert.AreEqual(160, output.Width);
        Assert.AreEqual(120, output.Height);
        using var expected = photo.Resize(0.5);
        Assert.IsLessThan(12, Math.Abs(output.Avg() - expected.Avg()));
    }

    [TestMethod]
    public void Render_CmykJpeg_SrgbJpegWithSameHue()
    {
        using var reddish = TestImages.Solid(200, 100, [200, 40, 40]);
        using var cmyk = reddish.Colourspace(Enums.Interpretation.Cmyk);
        var jpeg = cmyk.JpegsaveBuffer();
        var accepted = Accept(jpeg);
        Assert.AreEqual("cmyk", accepted.Interpretation);

        var variant = Renderer.Render(jpeg, accepted, Profile(100, 100), NoText, ImageFormat.Jpeg);

        using var output = Image.NewFromBuffer(variant.Bytes);
        Assert.AreEqual(3, output.Bands);
        Assert.AreEqual(Enums.Interpretation.Srgb, output.Interpretation);
        var pixel = output.Getpoint(50, 25);
        Assert.IsGreaterThan(pixel[1] + 80, pixel[0], $"still red: {string.Join(",", pixel)}");
        Assert.IsGreaterThan(pixel[2] + 80, pixel[0], $"still red: {string.Join(",", pixel)}");
    }

    [TestMethod]
    public void Render_GreyscaleJpeg_SrgbWithEqualChannels()
    {
        using var photo = TestImages.Photo(200, 100);
        using var grey = photo.Colourspace(Enums.Interpretation.Bw);
        var jpeg = grey.JpegsaveBuffer();
        Assert.AreEqual("b-w", Accept(jpeg).Interpretation);

        var variant = Render(jpeg, Profile(100, 100), NoText, ImageFormat.Jpeg);

        using var output = Image.NewFromBuffer(variant.Bytes);
        Assert.AreEqual(100, output.Width);
        Assert.AreEqual(50, output.Height);
        var pixel = output.Getpoint(50, 25);
        Assert.AreEqual(pixel[0], pixel[1], 3);
        Assert.AreEqual(pixel[0], pixel[2], 3);
    }

    [TestMethod]
    public void Render_PngWithTransparentHalfToJpeg_TransparentHalfWhite()
    {
        using var dark = TestImages.Solid(200, 100, [20, 20, 120]);
        using var alpha = Image.Black(200, 100).Insert(Image.Black(100, 100) + 255, 100, 0).Cast(Enums.BandFormat.Uchar);
        using var rgba = dark.Bandjoin(alpha);
        var png = rgba.PngsaveBuffer();
        Assert.IsTrue(Accept(png).HasAlpha);

        var variant = Render(png, Profile(200, 200), NoText, ImageFormat.Jpeg);

        using var output = Image.NewFromBuffer(variant.Bytes);
        Assert.AreEqual(3, output.Bands);
        CollectionAssert.AreEqual(new[] { 255.0, 255.0, 255.0 }, output.Getpoint(25, 50).Select(v => Math.Round(v)).ToArray(), "transparent → white");
        Assert.IsLessThan(60, output.Getpoint(175, 50)[0], "opaque part keeps its colour");
    }

    [TestMethod]
    public void Render_Watermark_ChangesItsCornerOnly()
    {
        using var photo = TestImages.Photo(800, 600);
        var jpeg = TestImages.Jpeg(photo);
        var profile = Profile(640, 640) with { Formats = [ImageFormat.Png] };
        var watermark = new WatermarkSettings { Text = "© Orchestration", Position = WatermarkPosition.BottomRight, Opacity = 0.8, Scale = 0.25 };

        var marked = Render(jpeg, profile, watermark, ImageFormat.Png);
        var plain = Render(jpeg, profile with { Watermark = false }, watermark, ImageFormat.Png);

        Assert.AreEqual((640, 480), (marked.Width, marked.Height));
        // The mark is 25 % of 640 = 160 px wide (plus a shadow) in the bottom-right corner: look at the bottom-right 200×80.
        var cornerMean = TestImages.MeanAbsDiff(marked.Bytes, plain.Bytes, 640 - 200, 480 - 80, 200, 80);
        var cornerMax = TestImages.MaxAbsDiff(marked.Bytes, plain.Bytes, 640 - 200, 480 - 80, 200, 80);
        var opposite = TestImages.MaxAbsDiff(marked.Bytes, plain.Bytes, 0, 0, 320, 240);
        Assert.IsGreaterThan(64.0, cornerMax, $"corner max diff {cornerMax}");
        Assert.IsGreaterThan(2.0, cornerMean, $"corner mean diff {cornerMean}");
        Assert.AreEqual(0.0, opposite, $"opposite diff {opposite}");
    }

    [TestMethod]
    public void Render_WatermarkTopLeftOnJpeg_ChangesTopLeft()
    {
        using var photo = TestImages.Photo(400, 300);
        var jpeg = TestImages.Jpeg(photo);
        var watermark = new WatermarkSettings { Position = WatermarkPosition.TopLeft, Opacity = 1, Scale = 0.5 };

        var marked = Render(jpeg, Profile(400, 400), watermark, ImageFormat.Jpeg);
        var plain = Render(jpeg, Profile(400, 400) with { Watermark = false }, watermark, ImageFormat.Jpeg);

        Assert.IsGreaterThan(64.0, TestImages.MaxAbsDiff(marked.Bytes, plain.Bytes, 0, 0, 220, 70));
        Assert.IsLessThan(0.5, TestImages.MeanAbsDiff(marked.Bytes, plain.Bytes, 200, 200, 200, 100));
    }

    [TestMethod]
    public void Render_MissingFont_Throws()
    {
        using var photo = TestImages.Photo(100, 100);
        var jpeg = TestImages.Jpeg(photo);

        Assert.ThrowsExactly<FileNotFoundException>(() => Render(jpeg, Profile(50, 50), new WatermarkSettings { Font = "Nope.ttf" }, ImageFormat.Jpeg));
        Assert.ThrowsExactly<FileNotFoundException>(() => Render(jpeg, Profile(50, 50), new WatermarkSettings { Font = "../../../../etc/passwd" }, ImageFormat.Jpeg));
    }

    [TestMethod]
    public void Render_Jpeg_ProgressiveWithSof2()
    {
        using var photo = TestImages.Photo(400, 300);

        var variant = Render(TestImages.Jpeg(photo), Profile(200, 200), new WatermarkSettings(), ImageFormat.Jpeg);

        Assert.IsTrue(TestImages.Contains(variant.Bytes, [0xFF, 0xC2]), "SOF2 (progressive) marker");
        Assert.IsFalse(TestImages.Contains(variant.Bytes, [0xFF, 0xC0]), "no SOF0 (baseline) marker");
    }

    [TestMethod]
    public void Render_WebP_Decodes()
    {
        using var photo = TestImages.Photo(400, 300);

        var variant = Render(TestImages.Jpeg(photo), Profile(200, 200), new WatermarkSettings(), ImageFormat.WebP);

        Assert.AreEqual(ImageFormat.WebP, variant.Format);
        Assert.IsTrue(variant.Bytes.AsSpan(8, 4).SequenceEqual("WEBP"u8));
        using var output = Image.NewFromBuffer(variant.Bytes);
        Assert.AreEqual("webpload_buffer", output.Get("vips-loader"));
        Assert.AreEqual(200, output.Width);
        Assert.AreEqual(150, output.Height);
        Assert.AreEqual(photo.Avg(), output.Avg(), 10);
    }

    [TestMethod]
    public void Render_AnimatedGif_FirstFrameOnly()
    {
        using var a = TestImages.Solid(40, 30, [255, 0, 0]);
        using var b = TestImages.Solid(40, 30, [0, 0, 255]);
        using var strip = Image.Arrayjoin([a, b], across: 1);
        using var animated = strip.Mutate(m => m.Set(GValue.GIntType, "page-height", 30));
        var gif = animated.GifsaveBuffer();

        var variant = Render(gif, Profile(100, 100), NoText, ImageFormat.Png);

        using var output = Image.NewFromBuffer(variant.Bytes);
        Assert.AreEqual((40, 30), (output.Width, output.Height));
        Assert.IsGreaterThan(200, output.Getpoint(20, 15)[0], "first (red) frame");
    }

    [TestMethod]
    public void Render_Stream_SameSizeAsBytes()
    {
        using var photo = TestImages.Photo(800, 600);
        var jpeg = TestImages.Jpeg(photo);
        using var stream = new MemoryStream(jpeg);

        var variant = Renderer.Render(stream, Accept(jpeg), Profile(320, 320), new WatermarkSettings(), ImageFormat.Jpeg);

        Assert.AreEqual((320, 240), (variant.Width, variant.Height));
    }

    [TestMethod]
    public void Render_CorruptPastInspection_ThrowsImageDecodeException()
    {
        using var photo = TestImages.Photo(400, 300);
        var jpeg = TestImages.Jpeg(photo);
        var accepted = Accept(jpeg);

        Assert.ThrowsExactly<ImageDecodeException>(() => Renderer.Render(jpeg[..(jpeg.Length / 2)], accepted, Profile(200, 200), NoText, ImageFormat.Jpeg));
    }

    [TestMethod]
    public void RenderAll_FourProfiles_SameSizesAsRenderEach()
    {
        using var photo = TestImages.Photo(1200, 900);
        var jpeg = TestImages.JpegWithExif(photo, orientation: 6);
        var accepted = Accept(jpeg);
        DeviceProfile[] profiles =
        [
            Profile(1920, 1920) with { Name = "desktop" },
            Profile(640, 640) with { Name = "mobile", Formats = [ImageFormat.Jpeg, ImageFormat.WebP] },
            Profile(300, 0) with { Name = "narrow" },
            Profile(150, 150) with { Name = "thumb", Fit = FitMode.Cover },
        ];

        var once = Renderer.RenderAll(jpeg, accepted, profiles, new WatermarkSettings());
        var each = Renderer.RenderEach(jpeg, accepted, profiles, new WatermarkSettings());

        // Upright 900×1200: desktop keeps it, mobile 480×640, narrow 300×400, thumb 150×150.
        var expected = new[] { ("desktop", 900, 1200), ("mobile", 480, 640), ("mobile", 480, 640), ("narrow", 300, 400), ("thumb", 150, 150) };
        CollectionAssert.AreEqual(expected, once.Select(v => (v.Profile, v.Width, v.Height)).ToArray());
        CollectionAssert.AreEqual(expected, each.Select(v => (v.Profile, v.Width, v.Height)).ToArray());
        CollectionAssert.AreEqual(new[] { ImageFormat.Jpeg, ImageFormat.Jpeg, ImageFormat.WebP, ImageFormat.Jpeg, ImageFormat.Jpeg }, once.Select(v => v.Format).ToArray());
        foreach (var v in once)
        {
            using var decoded = Image.NewFromBuffer(v.Bytes);
            Assert.AreEqual((v.Width, v.Height), (decoded.Width, decoded.Height), v.Profile);
        }
    }

    [TestMethod]
    public void Render_Panorama_BoundedByWidthAndCoverCropsToBox()
    {
        using var panorama = TestImages.Photo(16000, 1000);
        var png = TestImages.Png(panorama);

        var wide = Render(png, Profile(1920, 1080), new WatermarkSettings(), ImageFormat.Jpeg);
        var thumb = Render(png, Profile(150, 150) with { Fit = FitMode.Cover }, new WatermarkSettings(), ImageFormat.Jpeg);

        // Scale = min(1920/16000, 1080/1000) = 0.12 → 1920×120.
        Assert.AreEqual((1920, 120), (wide.Width, wide.Height));
        Assert.AreEqual((150, 150), (thumb.Width, thumb.Height));
    }

    [TestMethod]
    public void IntermediateSize_CoverNeedsMoreThanContain_LargestRequirementCapped()
    {
        var accepted = new Inspection.Accepted(ImageFormat.Jpeg, 4000, 3000, 1, 3, false, "srgb", 1, 1);

        Assert.AreEqual((1920, 1440), VariantRenderer.IntermediateSize(accepted, [Profile(1920, 1920), Profile(150, 150) with { Fit = FitMode.Cover }]));
        Assert.AreEqual((400, 300), VariantRenderer.IntermediateSize(accepted, [Profile(300, 300) with { Fit = FitMode.Cover }]));
        Assert.AreEqual((4000, 3000), VariantRenderer.IntermediateSize(accepted, [Profile(8000, 8000)]));
    }

    /// <summary>The shipped profiles (workflows/image-pipeline/workflow.json): 7 variants, three of them watermarked twice.</summary>
    private static readonly DeviceProfile[] ShippedProfiles =
    [
        new() { Name = "desktop", Width = 1920, Height = 1080, Formats = [ImageFormat.Jpeg, ImageFormat.WebP] },
        new() { Name = "tablet", Width = 1280, Height = 800, Formats = [ImageFormat.Jpeg, ImageFormat.WebP] },
        new() { Name = "mobile", Width = 640, Height = 640, Formats = [ImageFormat.Jpeg, ImageFormat.WebP] },
        new() { Name = "thumbnail", Width = 150, Height = 150, Fit = FitMode.Cover, Quality = 80, Watermark = false },
    ];

    [TestMethod]
    [DataRow(1, 1)]
    [DataRow(100, 1)]
    [DataRow(1, 100)]
    [DataRow(2000, 3)]
    [DataRow(3, 2000)]
    [DataRow(12, 12)]
    public void RenderAll_OnePixelOrTinySides_EveryWatermarkedVariantRendered(int width, int height)
    {
        using var photo = TestImages.Photo(width, height);
        var png = TestImages.Png(photo);
        var accepted = Accept(png);

        var once = Renderer.RenderAll(png, accepted, ShippedProfiles, new WatermarkSettings());
        var each = Renderer.RenderEach(png, accepted, ShippedProfiles, new WatermarkSettings());

        Assert.HasCount(7, once);
        Assert.HasCount(7, each);
        foreach (var variant in once.Concat(each))
        {
            using var decoded = Image.NewFromBuffer(variant.Bytes);
            Assert.AreEqual((variant.Width, variant.Height), (decoded.Width, decoded.Height), variant.Profile);
            Assert.IsTrue(variant.Width >= 1 && variant.Height >= 1 && variant.Width <= Math.Max(width, 1) && variant.Height <= Math.Max(height, 1), $"{variant.Profile}: {variant.Width}×{variant.Height}");
        }
    }

    [TestMethod]
    public void Render_WatermarkLargerThanAThinVariant_ShrunkToFitInsideIt()
    {
        // 2000×40 → desktop 1920×38: the watermark at 25 % of the width (480 px) would be ~90 px tall; it must shrink to fit.
        using var photo = TestImages.Solid(2000, 40, [40, 40, 40]);
        var png = TestImages.Png(photo);

        var marked = Render(png, Profile(1920, 1080), new WatermarkSettings(), ImageFormat.Png);
        var plain = Render(png, Profile(1920, 1080), NoText, ImageFormat.Png);

        Assert.AreEqual((1920, 38), (marked.Width, marked.Height));
        Assert.IsGreaterThan(1.0, TestImages.MeanAbsDiff(marked.Bytes, plain.Bytes, 1920 - 600, 0, 600, 38), "the watermark is drawn, smaller");
        Assert.AreEqual(0.0, TestImages.MaxAbsDiff(marked.Bytes, plain.Bytes, 0, 0, 1000, 38), "and stays in its corner");
    }

    /// <summary>Pure sRGB red, green and blue, tagged Display P3: the pixel values are P3's numbers for those colours.</summary>
    private static Image DisplayP3Bars(out double[][] srgb)
    {
        srgb = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [200, 120, 40]];
        using var red = TestImages.Solid(40, 40, srgb[0]);
        using var green = TestImages.Solid(40, 40, srgb[1]);
        using var blue = TestImages.Solid(40, 40, srgb[2]);
        using var brown = TestImages.Solid(40, 40, srgb[3]);
        using var bars = Image.Arrayjoin([red, green, blue, brown]);
        return bars.IccTransform("p3", embedded: false, inputProfile: "srgb");
    }

    [TestMethod]
    [DataRow("jpeg")]
    [DataRow("png")]
    [DataRow("png16alpha")]
    [DataRow("webp")]
    public void RenderAll_DisplayP3Source_ConvertedToSrgbBeforeStripping(string kind)
    {
        using var p3 = DisplayP3Bars(out var expected);
        Assert.IsTrue(p3.Contains("icc-profile-data"), "fixture carries its P3 profile");
        var asIs = p3.Getpoint(20, 20);
        Assert.IsLessThan(245, asIs[0], $"fixture: P3's numbers for sRGB red are not 255,0,0 ({string.Join(",", asIs)})");
        byte[] source;
        switch (kind)
        {
            case "jpeg":
                source = p3.JpegsaveBuffer(q: 98, subsampleMode: Enums.ForeignSubsample.Off);
                break;
            case "png":
                source = p3.PngsaveBuffer();
                break;
            case "webp":
                source = p3.WebpsaveBuffer(lossless: true);
                break;
            default:
                {
                    // 16 bits per band with an opaque alpha, same P3 profile.
                    using var widened = p3.Cast(Enums.BandFormat.Ushort) * 257;
                    using var rgb16 = widened.Cast(Enums.BandFormat.Ushort);
                    using var opaque = Image.Black(p3.Width, p3.Height) + 65535;
                    using var alpha = opaque.Cast(Enums.BandFormat.Ushort);
                    using var rgba = rgb16.Bandjoin(alpha);
                    using var typed = rgba.Copy(interpretation: Enums.Interpretation.Rgb16);
                    using var tagged = typed.Mutate(m => m.Set(GValue.BlobType, "icc-profile-data", p3.Get("icc-profile-data")));
                    source = tagged.PngsaveBuffer();
                }

                break;
        }

        var accepted = Accept(source);
        DeviceProfile[] profiles = [Profile(160, 160) with { Name = "same", Formats = [ImageFormat.Png, ImageFormat.Jpeg] }, Profile(80, 80) with { Name = "half" }];

        foreach (var variant in Renderer.RenderAll(source, accepted, profiles, NoText).Concat(Renderer.RenderEach(source, accepted, profiles, NoText)))
        {
            using var output = Image.NewFromBuffer(variant.Bytes);
            Assert.IsFalse(output.Contains("icc-profile-data"), $"{kind} {variant.Profile} {variant.Format}: metadata still stripped");
            var scale = variant.Width / 160.0;
            for (var bar = 0; bar < expected.Length; bar++)
            {
                var pixel = output.Getpoint((int)(((bar * 40) + 20) * scale), (int)(20 * scale));
                // 8-bit sources land within 8 levels (JPEG's own loss aside); libvips' 16-bit transform of the gamut's corners within 16.
                var tolerance = (variant.Format == ImageFormat.Jpeg ? 6 : 0) + (kind == "png16alpha" ? 16 : 8);
                for (var band = 0; band < 3; band++)
                {
                    Assert.AreEqual(expected[bar][band], pixel[band], tolerance, $"{kind} {variant.Profile} {variant.Format} bar {bar}: {string.Join(",", pixel)} (sRGB {string.Join(",", expected[bar])})");
                }
            }
        }
    }

    [TestMethod]
    public void Render_DisplayP3Stream_ConvertedToSrgb()
    {
        using var p3 = DisplayP3Bars(out var expected);
        var png = p3.PngsaveBuffer();
        using var stream = new MemoryStream(png);

        var variant = Renderer.Render(stream, Accept(png), Profile(160, 160), NoText, ImageFormat.Png);

        using var output = Image.NewFromBuffer(variant.Bytes);
        var red = output.Getpoint(20, 20);
        Assert.AreEqual(255, red[0], 6, string.Join(",", red));
        Assert.AreEqual(0, red[1], 6, string.Join(",", red));
    }

    [TestMethod]
    public void Render_UntaggedSrgb_PixelsUnchanged()
    {
        using var bars = TestImages.Solid(64, 64, [200, 120, 40]);
        var png = TestImages.Png(bars);

        var variant = Render(png, Profile(64, 64), NoText, ImageFormat.Png);

        using var output = Image.NewFromBuffer(variant.Bytes);
        CollectionAssert.AreEqual(new[] { 200.0, 120.0, 40.0 }, output.Getpoint(30, 30));
    }

    [TestMethod]
    public void RenderAll_DamagedPixelData_ThrowsImageDecodeException()
    {
        foreach (var (name, damaged) in TestImages.DamagedFiles())
        {
            var accepted = ImageInspector.Inspect(damaged, Limits, verifyPixels: false) as Inspection.Accepted
                ?? throw new AssertFailedException($"{name}: the header alone should pass");

            Assert.ThrowsExactly<ImageDecodeException>(() => Renderer.RenderAll(damaged, accepted, ShippedProfiles, new WatermarkSettings()), name);
        }
    }

    [TestMethod]
    public void RenderAll_EncoderFailsOnAValidSource_ThrowsImageRenderExceptionWithTheLibvipsError()
    {
        // WebP cannot be wider than 16383 px: the source decodes fine, the encode fails. That is our failure, not the file's.
        using var wide = TestImages.Photo(16384, 4);
        var png = TestImages.Png(wide);
        var accepted = Accept(png);
        DeviceProfile[] profiles = [Profile(16384, 16384) with { Formats = [ImageFormat.WebP] }];

        var thrown = Assert.ThrowsExactly<ImageRenderException>(() => Renderer.RenderAll(png, accepted, profiles, NoText));

        StringAssert.Contains(thrown.Message, "webpsave", StringComparison.Ordinal);
        Assert.IsInstanceOfType<VipsException>(thrown.InnerException);
    }

    private static DeviceProfile Profile(int width, int height) => new() { Name = "test", Width = width, Height = height };

    private static Inspection.Accepted Accept(byte[] bytes) =>
        ImageInspector.Inspect(bytes, Limits) as Inspection.Accepted ?? throw new AssertFailedException("fixture rejected");

    private static RenderedVariant Render(byte[] source, DeviceProfile profile, WatermarkSettings watermark, ImageFormat format) =>
        Renderer.Render(source, Accept(source), profile, watermark, format);
}

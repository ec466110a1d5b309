using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using NetVips;

namespace Orchestration.Workflows.Imaging;

/// <summary>
/// Renders device variants with libvips: shrink-on-load thumbnail (auto-oriented from EXIF; a source with an embedded
/// ICC profile of any kind, P3, Adobe RGB, ProPhoto, grey or CMYK, is transformed through it to sRGB, one without is
/// taken as sRGB (CMYK through libvips' fallback profile); exported as 8-bit; <see cref="Enums.Size.Down"/> so it never
/// upscales; attention crop for <see cref="FitMode.Cover"/>), grey turned sRGB, alpha flattened onto white for JPEG, the
/// watermark text drawn with the font shipped in <c>assets/fonts</c> (shrunk to fit a small variant, left out of one too
/// small to hold it legibly), then progressive JPEG / WebP (effort 2) / PNG with metadata (EXIF, GPS, XMP, ICC)
/// stripped unless <see cref="DeviceProfile.KeepMetadata"/>.
/// Every decode uses <see cref="ImageSafety.DecodeStrictness"/>. When libvips fails, the source is decoded once more on
/// its own: if that fails too the input is damaged (<see cref="ImageDecodeException"/>, a verdict); if it decodes, the
/// failure is ours (<see cref="ImageRenderException"/>, worth a retry and otherwise a failed run with libvips' message).
/// Thread-safe: one instance can serve every activity.
/// </summary>
public sealed class VariantRenderer
{
    /// <summary>Output formats this renderer encodes.</summary>
    public static IReadOnlyList<ImageFormat> SupportedOutputFormats { get; } = [ImageFormat.Jpeg, ImageFormat.WebP, ImageFormat.Png];

    /// <summary>WebP encoder effort: FINDINGS measured default effort (4) costing more than the whole JPEG pipeline.</summary>
    public const int WebPEffort = 2;

    /// <summary>Above this many pixels the decoded intermediate of <see cref="RenderAll(byte[], Inspection.Accepted, IReadOnlyList{DeviceProfile}, WatermarkSettings)"/> would cost too much memory: it renders per profile instead.</summary>
    public const long MaxSharedIntermediatePixels = 24_000_000;

    /// <summary>libvips' largest coordinate: "no limit" for a thumbnail's height.</summary>
    private const int UnboundedHeight = 10_000_000;

    /// <summary>libvips' built-in sRGB profile: the colour space of every output.</summary>
    private const string Srgb = "srgb";

    /// <summary>Below this many pixels of text height a watermark is not legible: it is left out rather than drawn as a smudge.</summary>
    internal const int MinWatermarkHeight = 6;

    private static readonly double[] White = [255, 255, 255];

    private readonly string fontsDirectory;
    private readonly ConcurrentDictionary<string, (string Path, string Family)> fonts = new(StringComparer.Ordinal);

    /// <param name="fontsDirectory">Where watermark fonts are; by default <c>assets/fonts</c> next to this assembly.</param>
    public VariantRenderer(string? fontsDirectory = null)
    {
        this.fontsDirectory = fontsDirectory ?? DefaultFontsDirectory;
    }

    /// <summary><c>assets/fonts</c> next to the application (where the build copies the repository's fonts).</summary>
    public static string DefaultFontsDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "assets", "fonts");

    /// <summary>Renders one profile in one format from the encoded source, decoding at the smallest scale the box allows.</summary>
    public RenderedVariant Render(byte[] source, Inspection.Accepted accepted, DeviceProfile profile, WatermarkSettings watermark, ImageFormat format)
    {
        ArgumentNullException.ThrowIfNull(source);
        Validate(accepted, profile, watermark, format);
        ImageSafety.EnsureInitialized();
        return Decoding(source, accepted.Format, () =>
        {
            using var resized = Image.ThumbnailBuffer(
                source, profile.Width, ImageSafety.LoadOptions(accepted.Format), BoxHeight(profile), Enums.Size.Down, crop: Crop(profile),
                outputProfile: OutputProfile(source, accepted.Format));
            return Finish(resized, profile, watermark, [format])[0];
        });
    }

    /// <summary>
    /// As <see cref="Render(byte[], Inspection.Accepted, DeviceProfile, WatermarkSettings, ImageFormat)"/>, streaming the
    /// source (it is read once, sequentially, so whether it carries a profile is not known in advance: every source goes
    /// through an ICC transform to sRGB, slower for the untagged ones). A failure is told apart from damage only for a seekable stream.
    /// </summary>
    public RenderedVariant Render(Stream source, Inspection.Accepted accepted, DeviceProfile profile, WatermarkSettings watermark, ImageFormat format)
    {
        ArgumentNullException.ThrowIfNull(source);
        Validate(accepted, profile, watermark, format);
        ImageSafety.EnsureInitialized();
        var start = source.CanSeek ? source.Position : -1;
        try
        {
            using var resized = Image.ThumbnailStream(
                source, profile.Width, ImageSafety.LoadOptions(accepted.Format), BoxHeight(profile), Enums.Size.Down, crop: Crop(profile),
                outputProfile: Srgb);
            return Finish(resized, profile, watermark, [format])[0];
        }
        catch (VipsException e)
        {
            if (start < 0)
            {
                throw new ImageDecodeException($"The image could not be decoded and rendered: {e.Message}", e);
            }

            source.Position = start;
            using var copy = new MemoryStream();
            source.CopyTo(copy);
            throw Classify(copy.ToArray(), accepted.Format, e);
        }
    }

    /// <summary>
    /// Renders every profile in every one of its formats, decoding the source once: a shrink-on-load thumbnail just
    /// large enough for the most demanding profile is kept in memory and each profile is reduced from it.
    /// Falls back to one decode per profile when that intermediate would exceed <see cref="MaxSharedIntermediatePixels"/>.
    /// </summary>
    public IReadOnlyList<RenderedVariant> RenderAll(byte[] source, Inspection.Accepted accepted, IReadOnlyList<DeviceProfile> profiles, WatermarkSettings watermark)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(profiles);
        foreach (var profile in profiles)
        {
            foreach (var format in profile.Formats)
            {
                Validate(accepted, profile, watermark, format);
            }
        }

        ImageSafety.EnsureInitialized();
        if (profiles.Count == 0)
        {
            return [];
        }

        var (width, height) = IntermediateSize(accepted, profiles);
        if ((long)width * height > MaxSharedIntermediatePixels)
        {
            return RenderEach(source, accepted, profiles, watermark);
        }

        return Decoding(source, accepted.Format, () =>
        {
            using var loaded = Image.ThumbnailBuffer(
                source, width, ImageSafety.LoadOptions(accepted.Format), height, Enums.Size.Down,
                outputProfile: OutputProfile(source, accepted.Format));
            using var intermediate = loaded.CopyMemory();
            var variants = new List<RenderedVariant>();
            foreach (var profile in profiles)
            {
                // Already upright and sRGB: no second rotation or colour transform.
                using var resized = intermediate.ThumbnailImage(profile.Width, BoxHeight(profile), Enums.Size.Down, noRotate: true, crop: Crop(profile));
                variants.AddRange(Finish(resized, profile, watermark, profile.Formats));
            }

            return variants;
        });
    }

    /// <summary>Every profile and format with its own shrink-on-load decode (the per-profile path, for comparison and for huge boxes).</summary>
    public IReadOnlyList<RenderedVariant> RenderEach(byte[] source, Inspection.Accepted accepted, IReadOnlyList<DeviceProfile> profiles, WatermarkSettings watermark)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(profiles);
        ImageSafety.EnsureInitialized();
        var variants = new List<RenderedVariant>();
        foreach (var profile in profiles)
        {
            foreach (var format in profile.Formats)
            {
                Validate(accepted, profile, watermark, format);
            }

            variants.AddRange(Decoding(source, accepted.Format, () =>
            {
                using var resized = Image.ThumbnailBuffer(
                    source, profile.Width, ImageSafety.LoadOptions(accepted.Format), BoxHeight(profile), Enums.Size.Down, crop: Crop(profile),
                    outputProfile: OutputProfile(source, accepted.Format));
                return Finish(resized, profile, watermark, profile.Formats);
            }));
        }

        return variants;
    }

    /// <summary>The smallest upright size from which every profile can still be reduced (never enlarged).</summary>
    internal static (int Width, int Height) IntermediateSize(Inspection.Accepted accepted, IReadOnlyList<DeviceProfile> profiles)
    {
        double width = accepted.DisplayWidth, height = accepted.DisplayHeight;
        var scale = profiles.Max(p => p.Fit == FitMode.Cover
            ? Math.Max(p.Width / width, p.Height / height)
            : Math.Min(p.Width / width, BoxHeight(p) / height));
        scale = Math.Min(1, scale);
        return ((int)Math.Ceiling(width * scale), (int)Math.Ceiling(height * scale));
    }

    private List<RenderedVariant> Finish(Image resized, DeviceProfile profile, WatermarkSettings watermark, IReadOnlyList<ImageFormat> formats)
    {
        var image = ToSrgb(resized);
        try
        {
            if (profile.Watermark && !string.IsNullOrWhiteSpace(watermark.Text) && DrawWatermark(image, watermark) is { } marked)
            {
                image = Replace(image, marked, resized);
            }

            if (profile.KeepMetadata)
            {
                // The pixels are upright now: kept EXIF must not make viewers rotate them again.
                image = Replace(image, image.Mutate(m => m.Set(GValue.GIntType, "orientation", 1)), resized);
            }

            if (formats.Count > 1)
            {
                // Loaded sequentially: one pass only. Several encodes need the pixels in memory.
                image = Replace(image, image.CopyMemory(), resized);
            }

            var variants = new List<RenderedVariant>(formats.Count);
            foreach (var format in formats)
            {
                variants.Add(Encode(image, profile, format));
            }

            return variants;
        }
        finally
        {
            if (!ReferenceEquals(image, resized))
            {
                image.Dispose();
            }
        }
    }

    private static Image Replace(Image current, Image next, Image original)
    {
        if (!ReferenceEquals(current, original))
        {
            current.Dispose();
        }

        return next;
    }

    /// <summary>8-bit sRGB with or without alpha. The thumbnail already did the ICC transform (any embedded profile, CMYK, 16-bit); untagged grey becomes sRGB here.</summary>
    private static Image ToSrgb(Image image)
    {
        if (image.Interpretation == Enums.Interpretation.Srgb && image.Format == Enums.BandFormat.Uchar)
        {
            return image;
        }

        using var srgb = image.Colourspace(Enums.Interpretation.Srgb);
        return srgb.Format == Enums.BandFormat.Uchar ? srgb.Copy() : srgb.Cast(Enums.BandFormat.Uchar);
    }

    private static RenderedVariant Encode(Image image, DeviceProfile profile, ImageFormat format)
    {
        var keep = profile.KeepMetadata ? Enums.ForeignKeep.All : Enums.ForeignKeep.None;
        byte[] bytes;
        switch (format)
        {
            case ImageFormat.Jpeg:
                if (image.HasAlpha())
                {
                    using var flat = image.Flatten(White);
                    bytes = flat.JpegsaveBuffer(q: profile.Quality, optimizeCoding: true, interlace: true, keep: keep);
                }
                else
                {
                    bytes = image.JpegsaveBuffer(q: profile.Quality, optimizeCoding: true, interlace: true, keep: keep);
                }

                break;
            case ImageFormat.WebP:
                bytes = image.WebpsaveBuffer(q: profile.Quality, effort: WebPEffort, keep: keep);
                break;
            case ImageFormat.Png:
                bytes = image.PngsaveBuffer(keep: keep);
                break;
            default:
                throw new NotSupportedException($"Output format {format} is not supported; use one of {string.Join(", ", SupportedOutputFormats)}.");
        }

        return new RenderedVariant(profile.Name, bytes, image.Width, image.Height, format);
    }

    /// <summary>
    /// White text with a soft dark shadow (so it shows on light and dark images), <see cref="WatermarkSettings.Scale"/>
    /// of the variant's width wide, blended at <see cref="WatermarkSettings.Opacity"/> in the chosen corner with a
    /// margin of 2 % of the shorter side. Only the covered rectangle is composited. On a variant too small for that
    /// (a thin strip, a few pixels) the text shrinks to fit inside the margins; null when it would be less than
    /// <see cref="MinWatermarkHeight"/> pixels tall: no watermark rather than an unreadable smudge or a failed render.
    /// </summary>
    private Image? DrawWatermark(Image image, WatermarkSettings watermark)
    {
        var margin = Math.Max(2, (int)Math.Round(Math.Min(image.Width, image.Height) * 0.02));
        var roomWidth = image.Width - (2 * margin);
        var roomHeight = image.Height - (2 * margin);
        if (roomWidth < MinWatermarkHeight || roomHeight < MinWatermarkHeight)
        {
            return null;
        }

        var (fontPath, family) = ResolveFont(watermark.Font);
        var markup = EscapeMarkup(watermark.Text!);
        var targetWidth = Math.Min(roomWidth, Math.Max(8, (int)Math.Round(image.Width * watermark.Scale)));

        int dpi;
        using (var probe = Image.Text(markup, font: family + " 12", fontfile: fontPath, dpi: 72))
        {
            dpi = (int)Math.Clamp(Math.Round(72d * targetWidth / Math.Max(1, probe.Width)), 1, 2400);
        }

        using var rendered = Image.Text(markup, font: family + " 12", fontfile: fontPath, dpi: dpi);

        // The wanted width, and no taller than the room left for it with its shadow (1/16 of its height below it).
        var scale = Math.Min((double)targetWidth / rendered.Width, roomHeight * (16d / 17) / rendered.Height);
        if (rendered.Height * Math.Min(1, scale) < MinWatermarkHeight)
        {
            return null;
        }

        using var mask = scale < 1 ? rendered.Resize(scale) : rendered.Copy();
        if (mask.Height < MinWatermarkHeight)
        {
            return null;
        }

        var shadowOffset = Math.Max(1, mask.Height / 16);
        var overlayWidth = Math.Min(mask.Width + shadowOffset, image.Width);
        var overlayHeight = Math.Min(mask.Height + shadowOffset, image.Height);
        var opacity = Math.Clamp(watermark.Opacity, 0, 1);

        using var textAlpha = (mask * opacity).Embed(0, 0, overlayWidth, overlayHeight).Cast(Enums.BandFormat.Uchar);
        using var shadowAlpha = (mask.Gaussblur(Math.Max(0.5, shadowOffset / 2d)) * (opacity * 0.6))
            .Embed(shadowOffset, shadowOffset, overlayWidth, overlayHeight).Cast(Enums.BandFormat.Uchar);
        using var white = (Image.Black(overlayWidth, overlayHeight, bands: 3) + 255).Cast(Enums.BandFormat.Uchar);
        using var black = Image.Black(overlayWidth, overlayHeight, bands: 3).Cast(Enums.BandFormat.Uchar);
        using var textLayer = white.Bandjoin(textAlpha).Copy(interpretation: Enums.Interpretation.Srgb);
        using var shadowLayer = black.Bandjoin(shadowAlpha).Copy(interpretation: Enums.Interpretation.Srgb);
        using var overlay = shadowLayer.Composite2(textLayer, Enums.BlendMode.Over);

        var (x, y) = Place(watermark.Position, image.Width, image.Height, overlayWidth, overlayHeight, margin);

        using var region = image.Crop(x, y, overlayWidth, overlayHeight);
        using var blended = region.Composite2(overlay, Enums.BlendMode.Over);
        using var patch = image.HasAlpha() ? blended.Copy() : blended.ExtractBand(0, 3);
        using var cast = patch.Cast(image.Format);
        return image.Insert(cast.Copy(interpretation: image.Interpretation), x, y);
    }

    internal static (int X, int Y) Place(WatermarkPosition position, int width, int height, int markWidth, int markHeight, int margin)
    {
        var right = Math.Max(0, width - markWidth - margin);
        var bottom = Math.Max(0, height - markHeight - margin);
        var left = Math.Min(margin, width - markWidth);
        var top = Math.Min(margin, height - markHeight);
        return position switch
        {
            WatermarkPosition.TopLeft => (left, top),
            WatermarkPosition.TopRight => (right, top),
            WatermarkPosition.BottomLeft => (left, bottom),
            WatermarkPosition.Center => ((width - markWidth) / 2, (height - markHeight) / 2),
            _ => (right, bottom),
        };
    }

    private (string Path, string Family) ResolveFont(string font) => fonts.GetOrAdd(font, name =>
    {
        var path = Path.GetFullPath(Path.Combine(fontsDirectory, name));
        if (!path.StartsWith(Path.GetFullPath(fontsDirectory), StringComparison.Ordinal) || !File.Exists(path))
        {
            throw new FileNotFoundException($"Watermark font '{name}' is not in {fontsDirectory}.", path);
        }

        var family = FontInfo.FamilyName(File.ReadAllBytes(path))
            ?? throw new InvalidDataException($"Watermark font '{name}' has no family name: is it a TrueType/OpenType file?");
        return (path, family);
    });

    private static string EscapeMarkup(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                _ => c.ToString(),
            });
        }

        return builder.ToString();
    }

    /// <summary>A <see cref="FitMode.Contain"/> profile with no height (0) is bounded by its width only.</summary>
    private static int BoxHeight(DeviceProfile profile) =>
        profile.Fit == FitMode.Contain && profile.Height <= 0 ? UnboundedHeight : profile.Height;

    private static Enums.Interesting Crop(DeviceProfile profile) =>
        profile.Fit == FitMode.Cover ? Enums.Interesting.Attention : Enums.Interesting.None;

    private static void Validate(Inspection.Accepted accepted, DeviceProfile profile, WatermarkSettings watermark, ImageFormat format)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(watermark);
        if (profile.Width <= 0 || BoxHeight(profile) <= 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Profile '{profile.Name}' needs a positive box, not {profile.Width}×{profile.Height}."), nameof(profile));
        }

        if (!SupportedOutputFormats.Contains(format))
        {
            throw new NotSupportedException($"Output format {format} is not supported; use one of {string.Join(", ", SupportedOutputFormats)}.");
        }
    }

    /// <summary>
    /// Runs a render of <paramref name="source"/>; a libvips failure becomes <see cref="ImageDecodeException"/> when the
    /// source itself does not decode, <see cref="ImageRenderException"/> when it does (see <see cref="Classify"/>).
    /// </summary>
    private static T Decoding<T>(byte[] source, ImageFormat format, Func<T> render)
    {
        try
        {
            return render();
        }
        catch (VipsException e)
        {
            throw Classify(source, format, e);
        }
    }

    /// <summary>
    /// Decides by what libvips tells about the input alone, not by its message: libvips is lazy, so a damaged scan
    /// surfaces in whichever later operation first pulls the pixels (a resize, a copy, an encode). Decoding the source
    /// once more, on its own and as strictly, tells "the input is damaged" (it fails again) from "we failed" (it decodes).
    /// </summary>
    private static Exception Classify(byte[] source, ImageFormat format, VipsException failure) =>
        ImageInspector.DecodesCompletely(source, format)
            ? new ImageRenderException($"Rendering failed in libvips although the {ImageSniffer.Describe(format)} source decodes: {failure.Message.Trim()}", failure)
            : new ImageDecodeException($"The image could not be decoded: it is truncated or corrupt ({failure.Message.Trim()}).", failure);

    /// <summary>
    /// libvips' <c>srgb</c> when the source embeds an ICC profile: the thumbnail then transforms through that profile to
    /// sRGB (P3, Adobe RGB, ProPhoto, grey, CMYK alike) instead of passing the numbers on for the strip to orphan.
    /// Null otherwise: an untagged source is sRGB already, and a transform would cost ~4× the render for nothing.
    /// Reads the header only.
    /// </summary>
    private static string? OutputProfile(byte[] source, ImageFormat format)
    {
        using var header = Image.NewFromBuffer(source, access: Enums.Access.Sequential, failOn: ImageSafety.DecodeStrictness(format));
        return header.Contains("icc-profile-data") ? Srgb : null;
    }
}

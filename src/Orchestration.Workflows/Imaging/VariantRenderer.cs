using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using NetVips;

namespace Orchestration.Workflows.Imaging;

/// <summary>
/// Renders device variants with libvips: shrink-on-load thumbnail (auto-oriented from EXIF, imported through its
/// ICC profile or libvips' CMYK fallback, exported to 8-bit sRGB; <see cref="Enums.Size.Down"/> so it never upscales;
/// attention crop for <see cref="FitMode.Cover"/>), grey turned sRGB, alpha flattened onto white for JPEG, the
/// watermark text drawn with the font shipped in <c>assets/fonts</c>, then progressive JPEG / WebP (effort 2) / PNG
/// with metadata (EXIF, GPS, XMP, ICC) stripped unless <see cref="DeviceProfile.KeepMetadata"/>.
/// Every decode uses <c>fail_on=truncated</c>: damaged pixel data throws <see cref="ImageDecodeException"/>.
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

    private const string LoadOptions = "[fail_on=truncated]";

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
        return Decoding(() =>
        {
            using var resized = Image.ThumbnailBuffer(source, profile.Width, LoadOptions, BoxHeight(profile), Enums.Size.Down, crop: Crop(profile));
            return Finish(resized, profile, watermark, [format])[0];
        });
    }

    /// <summary>As <see cref="Render(byte[], Inspection.Accepted, DeviceProfile, WatermarkSettings, ImageFormat)"/>, streaming the source (it is read once, sequentially).</summary>
    public RenderedVariant Render(Stream source, Inspection.Accepted accepted, DeviceProfile profile, WatermarkSettings watermark, ImageFormat format)
    {
        ArgumentNullException.ThrowIfNull(source);
        Validate(accepted, profile, watermark, format);
        ImageSafety.EnsureInitialized();
        return Decoding(() =>
        {
            using var resized = Image.ThumbnailStream(source, profile.Width, LoadOptions, BoxHeight(profile), Enums.Size.Down, crop: Crop(profile));
            return Finish(resized, profile, watermark, [format])[0];
        });
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

        return Decoding(() =>
        {
            using var loaded = Image.ThumbnailBuffer(source, width, LoadOptions, height, Enums.Size.Down);
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

            variants.AddRange(Decoding(() =>
            {
                using var resized = Image.ThumbnailBuffer(source, profile.Width, LoadOptions, BoxHeight(profile), Enums.Size.Down, crop: Crop(profile));
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
            if (profile.Watermark && !string.IsNullOrWhiteSpace(watermark.Text))
            {
                image = Replace(image, DrawWatermark(image, watermark), resized);
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

    /// <summary>8-bit sRGB with or without alpha. The thumbnail already did ICC import/export (CMYK, 16-bit); grey becomes sRGB too.</summary>
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
    /// margin of 2 % of the shorter side. Only the covered rectangle is composited.
    /// </summary>
    private Image DrawWatermark(Image image, WatermarkSettings watermark)
    {
        var (fontPath, family) = ResolveFont(watermark.Font);
        var markup = EscapeMarkup(watermark.Text!);
        var targetWidth = Math.Max(8, (int)Math.Round(image.Width * watermark.Scale));

        int dpi;
        using (var probe = Image.Text(markup, font: family + " 12", fontfile: fontPath, dpi: 72))
        {
            dpi = (int)Math.Clamp(Math.Round(72d * targetWidth / Math.Max(1, probe.Width)), 1, 2400);
        }

        using var rendered = Image.Text(markup, font: family + " 12", fontfile: fontPath, dpi: dpi);
        using var mask = rendered.Width > targetWidth ? rendered.Resize((double)targetWidth / rendered.Width) : rendered.Copy();

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

        var margin = Math.Max(2, (int)Math.Round(Math.Min(image.Width, image.Height) * 0.02));
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

    private static T Decoding<T>(Func<T> render)
    {
        try
        {
            return render();
        }
        catch (VipsException e)
        {
            throw new ImageDecodeException("The image could not be decoded and rendered: it is truncated or corrupt.", e);
        }
    }
}

using System.Globalization;
using NetVips;

namespace Orchestration.Workflows.Imaging;

/// <summary>
/// Decides whether an upload is an image this pipeline will render, cheapest check first:
/// size (before reading a byte) → magic bytes (never the name) → allowed format → header-only load (dimensions,
/// orientation, bands, colourspace, pages; no pixel is decoded) → pixel limit (decompression bombs stop here) →
/// one streaming decode at the cheapest scale (JPEG at 1/8 via DCT scaling; other formats in full but sequentially,
/// in strips) with <see cref="ImageSafety.DecodeStrictness"/> (unless the caller opts out), so a truncated or corrupt file is <see cref="Inspection.Rejected"/>
/// here rather than failing later in a render.
/// </summary>
/// <remarks>
/// Animated GIF (and WebP) and multi-page TIFF are accepted and rendered from their <b>first frame/page only</b>:
/// a still of each variant is what every device profile asks for, the first frame is what viewers show before
/// playing, and decoding every frame would multiply the cost and the bomb surface (frames × width × height).
/// <see cref="Inspection.Accepted.Pages"/> and <see cref="Inspection.Accepted.Animated"/> report it so the manifest can say so.
/// </remarks>
public static class ImageInspector
{
    /// <summary>Inspects an upload of <paramref name="length"/> bytes. The size is checked before anything is read.</summary>
    /// <param name="content">The upload; read to its end when its size is within the limit.</param>
    /// <param name="length">Its size as announced (blob properties, Content-Length).</param>
    /// <param name="limits">What may be accepted.</param>
    /// <param name="verifyPixels">Decode once at the cheapest scale to reject truncated/corrupt files (see <see cref="Inspect(byte[], ImageLimits, bool)"/>).</param>
    public static Inspection Inspect(Stream content, long length, ImageLimits limits, bool verifyPixels = true)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(limits);

        var early = CheckSize(length, limits);
        if (early is not null)
        {
            return early;
        }

        if (length > Array.MaxLength)
        {
            return Reject(RejectionCode.TooLarge, $"The file is {Mebibytes(length)} MB, more than can be held in memory.", limits);
        }

        // Within MaxBytes, so bounded. Read one byte more than announced to catch a stream longer than its length.
        var buffer = new byte[length];
        var read = content.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (read < length)
        {
            return Reject(RejectionCode.Corrupt, $"The upload ended after {read} of {length} bytes.", limits);
        }

        if (content.ReadByte() >= 0)
        {
            return Reject(RejectionCode.TooLarge, $"The upload is larger than the {length} bytes announced.", limits);
        }

        return Inspect(buffer, limits, verifyPixels);
    }

    /// <summary>Inspects a whole upload held in memory.</summary>
    /// <param name="content">The upload.</param>
    /// <param name="limits">What may be accepted.</param>
    /// <param name="verifyPixels">
    /// After the header checks, decode the whole file once at the cheapest scale with <see cref="ImageSafety.DecodeStrictness"/> so a
    /// truncated or corrupt file is rejected here (~75 ms for a 7 MB 12-megapixel JPEG on one core). Pass false when
    /// the caller renders straight after: <see cref="VariantRenderer"/> decodes with the same check and throws
    /// <see cref="ImageDecodeException"/>, which the caller must then turn into a rejection.
    /// </param>
    public static Inspection Inspect(byte[] content, ImageLimits limits, bool verifyPixels = true)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(limits);

        var early = CheckSize(content.LongLength, limits);
        if (early is not null)
        {
            return early;
        }

        var sniffed = ImageSniffer.Sniff(content.AsSpan(0, Math.Min(content.Length, ImageSniffer.HeaderLength)));
        if (!sniffed.IsImage)
        {
            return Reject(RejectionCode.NotAnImage, "The file is not an image: its content does not start like any image format (the file name is not trusted).", limits);
        }

        if (sniffed.Format is not { } format || !IsAllowed(format, limits))
        {
            return Reject(RejectionCode.UnsupportedFormat, $"{sniffed.Name} images are not accepted.", limits);
        }

        ImageSafety.EnsureInitialized();
        Inspection.Accepted accepted;
        try
        {
            // Header only: with sequential access libvips reads the header here and decodes pixels only on demand.
            using var header = Image.NewFromBuffer(content, access: Enums.Access.Sequential, failOn: ImageSafety.DecodeStrictness(format));
            accepted = Describe(format, header, content.LongLength);
        }
        catch (VipsException)
        {
            return Reject(RejectionCode.Corrupt, $"The file looks like {sniffed.Name} but its header cannot be read: it is truncated or corrupt.", limits);
        }

        var pixels = (long)accepted.Width * accepted.Height;
        if (pixels > limits.MaxPixels)
        {
            return Reject(
                RejectionCode.TooManyPixels,
                $"The image is {accepted.Width}×{accepted.Height} ({Megapixels(pixels)} megapixels), over the limit of {Megapixels(limits.MaxPixels)} megapixels.",
                limits);
        }

        if (verifyPixels && !DecodesCompletely(content, format))
        {
            return Reject(RejectionCode.Corrupt, $"The {sniffed.Name} file is truncated or corrupt: its pixel data cannot be decoded to the end.", limits);
        }

        return accepted;
    }

    /// <summary>What an upload may be, in words: formats and limits.</summary>
    public static string DescribeAllowed(ImageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var formats = limits.AllowedFormats.Where(ImageSafety.SupportedFormats.Contains).Select(ImageSniffer.Describe);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{string.Join(", ", formats)} images of at most {Mebibytes(limits.MaxBytes)} MB and {Megapixels(limits.MaxPixels)} megapixels");
    }

    private static Inspection.Rejected? CheckSize(long length, ImageLimits limits)
    {
        if (length <= 0)
        {
            return Reject(RejectionCode.Empty, "The file is empty (0 bytes).", limits);
        }

        return length > limits.MaxBytes
            ? Reject(RejectionCode.TooLarge, $"The file is {Mebibytes(length)} MB, over the limit of {Mebibytes(limits.MaxBytes)} MB.", limits)
            : null;
    }

    private static bool IsAllowed(ImageFormat format, ImageLimits limits) =>
        limits.AllowedFormats.Contains(format) && ImageSafety.SupportedFormats.Contains(format);

    private static Inspection.Accepted Describe(ImageFormat format, Image header, long bytes)
    {
        var orientation = header.Contains("orientation") ? (int)header.Get("orientation") : 1;
        if (orientation is < 1 or > 8)
        {
            orientation = 1;
        }

        var pages = header.Contains("n-pages") ? Math.Max(1, (int)header.Get("n-pages")) : 1;

        // For a GIF or multi-page file the loader returns the first page only: Height is the page height.
        return new Inspection.Accepted(
            format,
            header.Width,
            header.Height,
            orientation,
            header.Bands,
            header.HasAlpha(),
            InterpretationName(header.Interpretation),
            pages,
            bytes);
    }

    /// <summary>One streaming decode at the cheapest scale, failing on the first truncation or decode error (<see cref="ImageSafety.DecodeStrictness"/>).</summary>
    internal static bool DecodesCompletely(byte[] content, ImageFormat format)
    {
        var options = format == ImageFormat.Jpeg ? new VOption { { "shrink", 8 } } : null;
        try
        {
            using var image = Image.NewFromBuffer(content, access: Enums.Access.Sequential, failOn: ImageSafety.DecodeStrictness(format), kwargs: options);
            _ = image.Avg();
            return true;
        }
        catch (VipsException)
        {
            return false;
        }
    }

    internal static string InterpretationName(Enums.Interpretation interpretation) => interpretation switch
    {
        Enums.Interpretation.Srgb => "srgb",
        Enums.Interpretation.Cmyk => "cmyk",
        Enums.Interpretation.Bw => "b-w",
        Enums.Interpretation.Grey16 => "grey16",
        Enums.Interpretation.Rgb16 => "rgb16",
        Enums.Interpretation.Rgb => "rgb",
        Enums.Interpretation.Multiband => "multiband",
        _ => interpretation.ToString().ToLowerInvariant(),
    };

    private static Inspection.Rejected Reject(RejectionCode code, string reason, ImageLimits limits) =>
        new(code, reason, DescribeAllowed(limits));

    private static string Megapixels(long pixels) => (pixels / 1_000_000d).ToString("0.#", CultureInfo.InvariantCulture);

    private static string Mebibytes(long bytes) => (bytes / (1024d * 1024d)).ToString("0.##", CultureInfo.InvariantCulture);
}

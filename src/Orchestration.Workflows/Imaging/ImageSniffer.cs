using System.Text;

namespace Orchestration.Workflows.Imaging;

/// <summary>What the first bytes of a file say it is.</summary>
/// <param name="Format">The format, when it is one of <see cref="ImageFormat"/>; null otherwise.</param>
/// <param name="Name">A human name of what was recognised (e.g. <c>BMP</c>), or null when nothing was.</param>
internal readonly record struct SniffResult(ImageFormat? Format, string? Name)
{
    public bool IsImage => Name is not null;
}

/// <summary>Recognises image formats from their magic bytes; the file name is never consulted.</summary>
internal static class ImageSniffer
{
    /// <summary>Bytes enough to recognise every format below.</summary>
    public const int HeaderLength = 32;

    private static readonly string[] HeifBrands = ["heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1", "avif", "avis"];

    public static SniffResult Sniff(ReadOnlySpan<byte> header)
    {
        if (header.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return new(ImageFormat.Jpeg, "JPEG");
        }

        if (header.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return new(ImageFormat.Png, "PNG");
        }

        if (header.StartsWith("GIF87a"u8) || header.StartsWith("GIF89a"u8))
        {
            return new(ImageFormat.Gif, "GIF");
        }

        if (header.Length >= 12 && header.StartsWith("RIFF"u8) && header[8..12].SequenceEqual("WEBP"u8))
        {
            return new(ImageFormat.WebP, "WebP");
        }

        // Classic TIFF (42) and BigTIFF (43), little- and big-endian.
        if (header.StartsWith("II*\0"u8) || header.StartsWith("MM\0*"u8) || header.StartsWith("II+\0"u8) || header.StartsWith("MM\0+"u8))
        {
            return new(ImageFormat.Tiff, "TIFF");
        }

        if (header.Length >= 12 && header[4..8].SequenceEqual("ftyp"u8))
        {
            var brand = Encoding.ASCII.GetString(header[8..12]);
            if (HeifBrands.Contains(brand, StringComparer.Ordinal))
            {
                return new(ImageFormat.Heif, brand.StartsWith("avi", StringComparison.Ordinal) ? "AVIF" : "HEIF");
            }
        }

        // Recognised, but never an allowed format.
        return header switch
        {
            _ when header.StartsWith("BM"u8) && header.Length >= 14 => new(null, "BMP"),
            _ when header.StartsWith("8BPS"u8) => new(null, "Photoshop PSD"),
            _ when header.StartsWith("%PDF"u8) => new(null, "PDF"),
            _ when header.StartsWith("qoif"u8) => new(null, "QOI"),
            _ when header.StartsWith((ReadOnlySpan<byte>)[0xFF, 0x0A]) => new(null, "JPEG XL"),
            _ when header.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0x00, 0x0C, 0x4A, 0x58, 0x4C, 0x20]) => new(null, "JPEG XL"),
            _ when header.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0x01, 0x00]) => new(null, "ICO"),
            _ when LooksLikeSvg(header) => new(null, "SVG"),
            _ => new(null, null),
        };
    }

    public static string Describe(ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => "JPEG",
        ImageFormat.Png => "PNG",
        ImageFormat.WebP => "WebP",
        ImageFormat.Gif => "GIF",
        ImageFormat.Tiff => "TIFF",
        ImageFormat.Heif => "HEIF/AVIF",
        _ => format.ToString(),
    };

    private static bool LooksLikeSvg(ReadOnlySpan<byte> header)
    {
        var trimmed = header.TrimStart((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF, 0x20, 0x09, 0x0D, 0x0A]);
        return trimmed.StartsWith("<svg"u8) || trimmed.StartsWith("<?xml"u8);
    }
}

using NetVips;

namespace Orchestration.Workflows.Imaging;

/// <summary>
/// Locks libvips down before any untrusted byte reaches it: every operation libvips marks untrusted is blocked
/// (<see cref="NetVips.NetVips.BlockUntrusted"/>), then every loader (<c>VipsForeignLoad</c> and all its subclasses:
/// svg, heif/avif, uhdr, csv, matrix, raw, vips, ...) is blocked and only the loaders of
/// <see cref="SupportedFormats"/> are unblocked again: <c>jpegload</c>, <c>pngload</c>, <c>webpload</c>,
/// <c>gifload</c> (class <c>VipsForeignLoadNsgif</c>) and <c>tiffload</c>, each in its file, buffer and source variants.
/// Process-wide and idempotent: the inspector and the renderer call <see cref="EnsureInitialized"/> first.
/// </summary>
public static class ImageSafety
{
    /// <summary>The formats libvips may decode in this process. HEIF/AVIF is sniffed but never decoded.</summary>
    public static IReadOnlyList<ImageFormat> SupportedFormats { get; } =
        [ImageFormat.Jpeg, ImageFormat.Png, ImageFormat.WebP, ImageFormat.Gif, ImageFormat.Tiff];

    /// <summary>libvips 8.18 loader base classes left unblocked (each covers its file, buffer and source subclasses).</summary>
    internal static IReadOnlyList<string> AllowedLoaderClasses { get; } =
    [
        "VipsForeignLoadJpeg",
        "VipsForeignLoadPng",
        "VipsForeignLoadWebp",
        "VipsForeignLoadNsgif",
        "VipsForeignLoadTiff",
    ];

    private static readonly Lock Gate = new();
    private static volatile bool initialized;

    /// <summary>Blocks untrusted operations and every loader but the allowed ones; cheap after the first call.</summary>
    public static void EnsureInitialized()
    {
        if (initialized)
        {
            return;
        }

        lock (Gate)
        {
            if (initialized)
            {
                return;
            }

            NetVips.NetVips.BlockUntrusted = true;
            Operation.Block("VipsForeignLoad", true);
            foreach (var loader in AllowedLoaderClasses)
            {
                Operation.Block(loader, false);
            }

            initialized = true;
        }
    }
}

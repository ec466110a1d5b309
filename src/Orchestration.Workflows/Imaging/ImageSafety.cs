using Microsoft.Extensions.Logging;
using NetVips;

namespace Orchestration.Workflows.Imaging;

/// <summary>
/// Locks libvips down before any untrusted byte reaches it: every operation libvips marks untrusted is blocked
/// (<see cref="NetVips.NetVips.BlockUntrusted"/>), then every loader (<c>VipsForeignLoad</c> and all its subclasses:
/// svg, heif/avif, uhdr, csv, matrix, raw, vips, ...) is blocked and only the loaders of
/// <see cref="SupportedFormats"/> are unblocked again: <c>jpegload</c>, <c>pngload</c>, <c>webpload</c>,
/// <c>gifload</c> (class <c>VipsForeignLoadNsgif</c>) and <c>tiffload</c>, each in its file, buffer and source variants.
/// Process-wide and idempotent: the inspector and the renderer call <see cref="EnsureInitialized"/> first.
/// Also: libvips' operation cache is switched off (every image here is a new one; the cache would only keep decoded
/// buffers of past images alive), and once <see cref="RouteLogs"/> has been given a logger, libvips' warnings (which it
/// otherwise prints to stderr as VIPS-WARNING) go to that logger.
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

    /// <summary>
    /// How strictly libvips decodes <paramref name="format"/> (its <c>fail_on</c>), in the inspector and the renderer alike.
    /// JPEG: <see cref="Enums.FailOn.Warning"/>. A JPEG has no checksum; libjpeg reports damaged entropy data (garbage in
    /// the middle) only as warnings ("premature end of data segment", "bad Huffman code") and draws grey or smeared
    /// blocks. The price: a JPEG libjpeg merely warns about ("N extraneous bytes before marker") is rejected too.
    /// Everything else: <see cref="Enums.FailOn.Error"/>, which adds checksum errors (a PNG chunk's CRC, zlib's Adler-32)
    /// and libtiff errors to truncation; not <see cref="Enums.FailOn.Warning"/>, which for TIFF would also reject
    /// files for the unknown tags many cameras and scanners write.
    /// </summary>
    public static Enums.FailOn DecodeStrictness(ImageFormat format) =>
        format == ImageFormat.Jpeg ? Enums.FailOn.Warning : Enums.FailOn.Error;

    /// <summary>
    /// <see cref="DecodeStrictness"/> as a loader option string (<c>[fail_on=warning]</c>). The thumbnail operations need
    /// it this way: libvips 8.18 passes their own <c>fail_on</c> argument on to file loads but not to buffer loads.
    /// </summary>
    public static string LoadOptions(ImageFormat format) =>
        DecodeStrictness(format) == Enums.FailOn.Warning ? "[fail_on=warning]" : "[fail_on=error]";

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

            Cache.Max = 0;
            NetVips.NetVips.BlockUntrusted = true;
            Operation.Block("VipsForeignLoad", true);
            foreach (var loader in AllowedLoaderClasses)
            {
                Operation.Block(loader, false);
            }

            initialized = true;
        }
    }

    static ILogger? vipsLogger;
    static Log.LogDelegate? handler;

    /// <summary>Sends libvips' messages (domain VIPS) to <paramref name="logger"/>: warnings as warnings, anything graver as errors.</summary>
    public static void RouteLogs(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        lock (Gate)
        {
            vipsLogger = logger;
            if (handler is not null)
            {
                return;
            }

            // Kept in a field: the native side holds only a function pointer to it.
            handler = (domain, level, message) =>
            {
                if (vipsLogger is { } target)
                {
                    Logs.VipsMessage(target, level.HasFlag(Enums.LogLevelFlags.Warning) ? LogLevel.Warning : LogLevel.Error, domain ?? "VIPS", message ?? string.Empty);
                }
            };
            Log.SetLogHandler("VIPS", Enums.LogLevelFlags.Warning | Enums.LogLevelFlags.Critical | Enums.LogLevelFlags.Error, handler);
        }
    }
}

using System.Text;
using Microsoft.Extensions.Logging;
using NetVips;
using Orchestration.Workflows.Imaging;

namespace Orchestration.Workflows.Tests.Imaging;

[TestClass]
public sealed class ImageSafetyTests
{
    [TestMethod]
    public void EnsureInitialized_Svg_LoaderBlocked()
    {
        ImageSafety.EnsureInitialized();
        var svg = Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>");

        Assert.ThrowsExactly<VipsException>(() => Image.NewFromBuffer(svg));
    }

    [TestMethod]
    public void EnsureInitialized_CalledTwice_AllowedLoadersStillWork()
    {
        ImageSafety.EnsureInitialized();
        ImageSafety.EnsureInitialized();
        using var photo = TestImages.Photo(16, 16);

        foreach (var (expected, bytes) in new[]
        {
            ("jpegload_buffer", photo.JpegsaveBuffer()),
            ("pngload_buffer", photo.PngsaveBuffer()),
            ("webpload_buffer", photo.WebpsaveBuffer()),
            ("gifload_buffer", photo.GifsaveBuffer()),
            ("tiffload_buffer", photo.TiffsaveBuffer()),
        })
        {
            using var loaded = Image.NewFromBuffer(bytes);
            Assert.AreEqual(expected, loaded.Get("vips-loader"));
            Assert.AreEqual(16, loaded.Width);
        }
    }

    [TestMethod]
    public void RouteLogs_TruncatedJpegReadLeniently_WarningReachesTheLoggerNotStderr()
    {
        ImageSafety.EnsureInitialized();
        var logger = new CapturingLogger();
        ImageSafety.RouteLogs(logger);
        using var photo = TestImages.Photo(256, 256);
        byte[] jpeg = TestImages.Jpeg(photo);

        // Without fail_on libvips reads what is there and warns about the rest.
        using (var truncated = Image.NewFromBuffer(jpeg[..(jpeg.Length / 2)], access: Enums.Access.Sequential))
        {
            _ = truncated.Avg();
        }

        Assert.IsTrue(logger.Entries.Any(e => e.Level == LogLevel.Warning && e.Message.Contains("libvips", StringComparison.Ordinal)),
            $"logged: {string.Join(" | ", logger.Entries.Select(e => $"{e.Level} {e.Message}"))}");
    }

    sealed class CapturingLogger : ILogger
    {
        public System.Collections.Concurrent.ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Enqueue((logLevel, formatter(state, exception)));
    }
}

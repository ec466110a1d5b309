using System.Text;
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
}

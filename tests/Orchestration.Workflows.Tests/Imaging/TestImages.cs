using System.Buffers.Binary;
using NetVips;

namespace Orchestration.Workflows.Tests.Imaging;

/// <summary>Real images made in code: no binary fixtures.</summary>
internal static class TestImages
{
    /// <summary>A smooth colour gradient with a little noise (so JPEGs have real scan data), 8-bit sRGB.</summary>
    public static Image Photo(int width, int height)
    {
        using var xy = Image.Xyz(width, height);
        using var x = xy[0];
        using var y = xy[1];
        using var noise = Image.Gaussnoise(width, height, mean: 0, sigma: 12);
        using var r = (x * (200.0 / width)) + 30 + noise;
        using var g = (y * (200.0 / height)) + 30 + noise;
        using var b = ((x + y) * (120.0 / (width + height))) + 60 - noise;
        using var joined = r.Bandjoin(g, b);
        using var cast = joined.Cast(Enums.BandFormat.Uchar);
        return cast.Copy(interpretation: Enums.Interpretation.Srgb);
    }

    /// <summary>A uniform sRGB image of one colour.</summary>
    public static Image Solid(int width, int height, double[] rgb)
    {
        using var black = Image.Black(width, height, bands: 3);
        using var coloured = black + rgb;
        using var cast = coloured.Cast(Enums.BandFormat.Uchar);
        return cast.Copy(interpretation: Enums.Interpretation.Srgb);
    }

    public static byte[] Jpeg(Image image, int quality = 90) => image.JpegsaveBuffer(q: quality);

    public static byte[] Png(Image image) => image.PngsaveBuffer();

    /// <summary>A JPEG whose EXIF says <paramref name="orientation"/>, with a camera make and a GPS tag.</summary>
    public static byte[] JpegWithExif(Image image, int orientation)
    {
        using var tagged = image.Mutate(m =>
        {
            m.Set(GValue.GIntType, "orientation", orientation);
            m.Set(GValue.GStrType, "exif-ifd0-Make", "Acme");
            m.Set(GValue.GStrType, "exif-ifd3-GPSLatitudeRef", "N");
        });
        return tagged.JpegsaveBuffer(q: 90);
    }

    /// <summary>
    /// A well-formed, 100-odd-byte PNG whose IHDR claims <paramref name="width"/>×<paramref name="height"/> 8-bit RGB:
    /// a decompression bomb as far as any header reader can tell.
    /// </summary>
    public static byte[] PngHeaderOnly(int width, int height)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // colour type RGB
        using var output = new MemoryStream();
        output.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        WriteChunk(output, "IHDR"u8, ihdr);
        WriteChunk(output, "IDAT"u8, [0x78, 0x9C, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01]); // zlib of one zero byte
        WriteChunk(output, "IEND"u8, []);
        return output.ToArray();
    }

    /// <summary>
    /// Real files damaged the ways uploads get damaged; libvips reads each header, but not the pixel data:
    /// a cut JPEG and PNG, a PNG whose IDAT checksum is wrong, a PNG and a JPEG with garbage over the middle of their data.
    /// </summary>
    public static IEnumerable<(string Name, byte[] Bytes)> DamagedFiles()
    {
        using var photo = Photo(400, 300);
        var jpeg = Jpeg(photo);
        var png = Png(photo);
        var scan = jpeg.AsSpan().IndexOf([(byte)0xFF, (byte)0xDA]);
        yield return ("truncated JPEG", jpeg[..(jpeg.Length * 2 / 3)]);
        yield return ("truncated PNG", png[..(png.Length * 2 / 3)]);
        yield return ("PNG with a bad IDAT CRC", WithBadCrc(png, "IDAT"u8));
        yield return ("PNG with garbage in the middle", WithGarbage(png, png.Length / 2, 64, seed: 1));
        yield return ("JPEG with garbage in the middle", WithGarbage(jpeg, (scan + jpeg.Length) / 2, 64, seed: 2));
    }

    /// <summary><paramref name="bytes"/> with the CRC of the first <paramref name="chunk"/> chunk inverted (its data untouched).</summary>
    public static byte[] WithBadCrc(byte[] bytes, ReadOnlySpan<byte> chunk)
    {
        var copy = (byte[])bytes.Clone();
        var type = copy.AsSpan().IndexOf(chunk);
        var length = BinaryPrimitives.ReadInt32BigEndian(copy.AsSpan(type - 4));
        for (var i = 0; i < 4; i++)
        {
            copy[type + 4 + length + i] ^= 0xFF;
        }

        return copy;
    }

    /// <summary><paramref name="count"/> random bytes over <paramref name="bytes"/> from <paramref name="offset"/>, one in eight a 0xFF (a JPEG marker's first byte).</summary>
    public static byte[] WithGarbage(byte[] bytes, int offset, int count, int seed)
    {
        var copy = (byte[])bytes.Clone();
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            copy[offset + i] = random.Next(8) == 0 ? (byte)0xFF : (byte)random.Next(256);
        }

        return copy;
    }

    /// <summary>A PNG with one extra tEXt chunk whose CRC is wrong: ancillary, so readers drop the chunk and keep the image.</summary>
    public static byte[] PngWithBadAncillaryCrc(Image image)
    {
        var png = Png(image);
        var idat = png.AsSpan().IndexOf("IDAT"u8) - 4;
        using var output = new MemoryStream();
        output.Write(png.AsSpan(0, idat));
        var chunk = new MemoryStream();
        WriteChunk(chunk, "tEXt"u8, "Comment\0hello"u8);
        var text = chunk.ToArray();
        text[^1] ^= 0xFF;
        output.Write(text);
        output.Write(png.AsSpan(idat));
        return output.ToArray();
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        var typed = new byte[4 + data.Length];
        type.CopyTo(typed);
        data.CopyTo(typed.AsSpan(4));
        output.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32(typed));
        output.Write(word);
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }

    /// <summary>Mean absolute difference between the same region of two encoded images.</summary>
    public static double MeanAbsDiff(byte[] a, byte[] b, int left, int top, int width, int height) =>
        AbsDiff(a, b, left, top, width, height).Mean;

    /// <summary>Largest absolute difference of one band value between the same region of two encoded images.</summary>
    public static double MaxAbsDiff(byte[] a, byte[] b, int left, int top, int width, int height) =>
        AbsDiff(a, b, left, top, width, height).Max;

    private static (double Mean, double Max) AbsDiff(byte[] a, byte[] b, int left, int top, int width, int height)
    {
        using var ia = Image.NewFromBuffer(a);
        using var ib = Image.NewFromBuffer(b);
        using var ca = ia.Crop(left, top, width, height);
        using var cb = ib.Crop(left, top, width, height);
        using var difference = ca - cb;
        using var diff = difference.Abs();
        return (diff.Avg(), diff.Max());
    }

    public static bool Contains(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> needle) => haystack.IndexOf(needle) >= 0;
}

using System.Buffers.Binary;
using System.Text;

namespace Orchestration.Workflows.Imaging;

/// <summary>Reads the family name (name ID 1) of a TrueType/OpenType font, which Pango needs to pick the font file loaded by path.</summary>
internal static class FontInfo
{
    public static string? FamilyName(ReadOnlySpan<byte> font)
    {
        if (font.Length < 12)
        {
            return null;
        }

        var tables = BinaryPrimitives.ReadUInt16BigEndian(font[4..]);
        for (var i = 0; i < tables; i++)
        {
            var record = 12 + (i * 16);
            if (record + 16 > font.Length)
            {
                return null;
            }

            if (!font.Slice(record, 4).SequenceEqual("name"u8))
            {
                continue;
            }

            var offset = (int)BinaryPrimitives.ReadUInt32BigEndian(font[(record + 8)..]);
            return offset < font.Length ? ReadFamily(font[offset..]) : null;
        }

        return null;
    }

    private static string? ReadFamily(ReadOnlySpan<byte> name)
    {
        if (name.Length < 6)
        {
            return null;
        }

        var count = BinaryPrimitives.ReadUInt16BigEndian(name[2..]);
        var storage = BinaryPrimitives.ReadUInt16BigEndian(name[4..]);
        string? fallback = null;
        for (var i = 0; i < count; i++)
        {
            var r = 6 + (i * 12);
            if (r + 12 > name.Length)
            {
                break;
            }

            var platform = BinaryPrimitives.ReadUInt16BigEndian(name[r..]);
            var nameId = BinaryPrimitives.ReadUInt16BigEndian(name[(r + 6)..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(name[(r + 8)..]);
            var start = storage + BinaryPrimitives.ReadUInt16BigEndian(name[(r + 10)..]);
            if (nameId != 1 || start + length > name.Length)
            {
                continue;
            }

            var bytes = name.Slice(start, length);
            if (platform is 0 or 3)
            {
                return Encoding.BigEndianUnicode.GetString(bytes);
            }

            fallback ??= Encoding.Latin1.GetString(bytes);
        }

        return fallback;
    }
}

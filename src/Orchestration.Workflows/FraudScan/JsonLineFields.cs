using System.Text.Json;

namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// Reads one JSON-lines object into <see cref="LineFields"/>: known properties (case-insensitive) are copied, unescaped,
/// into a buffer of its own; numbers keep their text, so <c>"price": 101.5</c> and <c>"price": "101.5"</c> read alike;
/// null is the same as absent; unknown properties are skipped whatever they hold.
/// </summary>
internal sealed class JsonLineFields(int maxLineBytes)
{
    private const int LongestColumnName = 16;

    private readonly byte[] _values = new byte[maxLineBytes];

    /// <summary>Reads <paramref name="line"/> into <paramref name="fields"/>.</summary>
    /// <param name="reason">Why the line is not a usable JSON object.</param>
    public bool TryRead(ReadOnlySpan<byte> line, LineFields fields, out string reason)
    {
        fields.Reset(_values);
        var reader = new Utf8JsonReader(line);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                reason = "not a JSON object";
                return false;
            }

            return TryReadProperties(ref reader, fields, out reason);
        }
        catch (JsonException e)
        {
            reason = $"not valid JSON (at byte {e.BytePositionInLine + 1})";
            return false;
        }
    }

    private bool TryReadProperties(ref Utf8JsonReader reader, LineFields fields, out string reason)
    {
        var written = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var known = TryFindColumn(ref reader, out var column);
            reader.Read();
            if (!known || reader.TokenType == JsonTokenType.Null)
            {
                reader.Skip();
                continue;
            }

            if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Number))
            {
                reason = $"{Columns.Name(column)} must be a string or a number, not {Describe(reader.TokenType)}";
                return false;
            }

            var length = reader.ValueIsEscaped ? reader.CopyString(_values.AsSpan(written)) : Copy(reader.ValueSpan, written);
            fields.Set(column, new FieldSlice(written, length));
            written += length;
        }

        reader.Read(); // throws on anything after the object
        reason = "";
        return true;
    }

    private static bool TryFindColumn(ref Utf8JsonReader reader, out Column column)
    {
        if (!reader.ValueIsEscaped)
        {
            return Columns.TryFind(reader.ValueSpan, out column);
        }

        // An escape takes at most 6 bytes (\uXXXX) for 1: a longer escaped name is no column's.
        column = default;
        if (reader.ValueSpan.Length > 6 * LongestColumnName)
        {
            return false;
        }

        Span<byte> name = stackalloc byte[reader.ValueSpan.Length];
        return Columns.TryFind(name[..reader.CopyString(name)], out column);
    }

    private int Copy(ReadOnlySpan<byte> value, int offset)
    {
        value.CopyTo(_values.AsSpan(offset));
        return value.Length;
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        _ => "true or false",
    };
}

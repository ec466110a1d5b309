namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// Splits one CSV line into fields (RFC 4180). A line without a quote is split in place; a line with quotes is
/// unescaped into a buffer of its own. A quoted field must close on its line: line breaks inside quotes are not
/// supported (the line is bad), which keeps every line independent and a broken quote from swallowing the file.
/// </summary>
internal sealed class CsvSplitter(int maxLineBytes)
{
    private readonly byte[] _unquoted = new byte[maxLineBytes];
    private FieldSlice[] _fields = new FieldSlice[32];

    /// <summary>Fields on the last line split.</summary>
    public int Count { get; private set; }

    /// <summary>Where the fields are: null when they are slices of the line itself, else the unescaping buffer.</summary>
    public byte[]? Source { get; private set; }

    public FieldSlice this[int index] => _fields[index];

    /// <summary>Splits <paramref name="line"/>.</summary>
    /// <param name="line">One line without its line ending.</param>
    /// <param name="reason">Why the line cannot be split (a quoting error).</param>
    public bool TrySplit(ReadOnlySpan<byte> line, out string reason)
    {
        Count = 0;
        reason = "";
        if (line.IndexOf((byte)'"') < 0)
        {
            Source = null;
            SplitPlain(line);
            return true;
        }

        Source = _unquoted;
        return TrySplitQuoted(line, out reason);
    }

    private void SplitPlain(ReadOnlySpan<byte> line)
    {
        var start = 0;
        while (true)
        {
            var comma = line[start..].IndexOf((byte)',');
            if (comma < 0)
            {
                Add(new FieldSlice(start, line.Length - start));
                return;
            }

            Add(new FieldSlice(start, comma));
            start += comma + 1;
        }
    }

    private bool TrySplitQuoted(ReadOnlySpan<byte> line, out string reason)
    {
        var read = 0;
        var written = 0;
        while (true)
        {
            var fieldStart = written;
            var quote = OpeningQuote(line, read);
            var copied = quote >= 0
                ? TryCopyQuoted(line, quote, ref read, ref written, out reason)
                : TryCopyUnquoted(line, ref read, ref written, out reason);
            if (!copied)
            {
                return false;
            }

            Add(new FieldSlice(fieldStart, written - fieldStart));
            if (read >= line.Length)
            {
                return true;
            }

            read++; // the comma
            if (read == line.Length)
            {
                Add(new FieldSlice(written, 0));
                return true;
            }
        }
    }

    /// <summary>Where the quote opening the field at <paramref name="start"/> is (spaces before it allowed), or -1.</summary>
    private static int OpeningQuote(ReadOnlySpan<byte> line, int start)
    {
        var field = line[start..].TrimStart((byte)' ');
        return field is [(byte)'"', ..] ? line.Length - field.Length : -1;
    }

    private bool TryCopyQuoted(ReadOnlySpan<byte> line, int quote, ref int read, ref int written, out string reason)
    {
        read = quote + 1;
        while (true)
        {
            var close = line[read..].IndexOf((byte)'"');
            if (close < 0)
            {
                reason = $"the quote opened in column {Count + 1} is not closed (line breaks inside quoted fields are not supported)";
                return false;
            }

            line.Slice(read, close).CopyTo(_unquoted.AsSpan(written));
            written += close;
            read += close + 1;
            if (read < line.Length && line[read] == (byte)'"')
            {
                _unquoted[written++] = (byte)'"';
                read++;
                continue;
            }

            var after = line[read..].TrimStart((byte)' ');
            read = line.Length - after.Length;
            if (after.IsEmpty || after[0] == (byte)',')
            {
                reason = "";
                return true;
            }

            reason = $"text after the closing quote in column {Count + 1}";
            return false;
        }
    }

    private bool TryCopyUnquoted(ReadOnlySpan<byte> line, ref int read, ref int written, out string reason)
    {
        var rest = line[read..];
        var comma = rest.IndexOf((byte)',');
        var field = comma < 0 ? rest : rest[..comma];
        if (field.IndexOf((byte)'"') >= 0)
        {
            reason = $"a quote inside unquoted column {Count + 1} (quote the whole field and double the quote: \"a \"\"b\"\" c\")";
            return false;
        }

        field.CopyTo(_unquoted.AsSpan(written));
        written += field.Length;
        read += field.Length;
        reason = "";
        return true;
    }

    private void Add(FieldSlice field)
    {
        if (Count == _fields.Length)
        {
            Array.Resize(ref _fields, _fields.Length * 2);
        }

        _fields[Count++] = field;
    }
}

using System.Text.Unicode;

namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// Streams one input file of order and trade events or news items — CSV with a header row or JSON lines, optionally
/// gzip-compressed — to an <see cref="IEventSink"/>, one item at a time, in bounded memory whatever the file's size.
/// A bad line is counted, reported with its number and reason, and skipped; only a file with nothing to scan is
/// <see cref="EventFileVerdict.Rejected"/>. The format is in <c>workflows/fraud-scan/README.md</c> ("Input format").
/// </summary>
/// <remarks>
/// Built for throughput: lines are found and fields parsed on UTF-8 bytes (no string per line or per field), buffers
/// are reused, and the values a day repeats on every line are interned.
/// </remarks>
public sealed class EventFileReader
{
    /// <summary>Longer lines are bad lines: what bounds the reader's memory.</summary>
    public const int MaxLineBytes = 64 * 1024;

    /// <summary>How many bad lines a verdict lists (all are counted).</summary>
    public const int MaxBadLinesKept = 100;

    private readonly IEventSink _sink;
    private readonly string? _blobName;
    private readonly RecordParser _records = new();
    private readonly EventRecordStrings _strings = new();
    private readonly LineFields _fields = new();
    private readonly CsvSplitter _csv = new(MaxLineBytes);
    private readonly JsonLineFields _json = new(MaxLineBytes);
    private readonly List<BadLine> _badLines = [];
    private (Column Column, int Index)[] _csvColumns = [];
    private int _csvColumnCount;
    private EventFileKind _kind;
    private EventFileFormat _format;
    private long _badLineCount;
    private long _items;
    private DerivedEventIds? _derivedIds;

    private EventFileReader(IEventSink sink, string? blobName)
    {
        _sink = sink;
        _blobName = blobName;
    }

    /// <summary>Reads <paramref name="input"/> to its end, handing each event or news item to <paramref name="sink"/>.</summary>
    /// <param name="input">The file as stored; not disposed. Gzip is recognised by its magic bytes, not by a name.</param>
    /// <param name="sink">Receives the items in file order.</param>
    /// <param name="blobName">
    /// The file's blob name: events without an eventId (a CSV file without the column, a JSON object without one) get the
    /// id <c>{blobName}#{line}</c>. Without a name, such an event is a bad line.
    /// </param>
    public static EventFileVerdict Read(Stream input, IEventSink sink, string? blobName = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(sink);
        return new EventFileReader(sink, blobName).ReadAll(input);
    }

    private EventFileVerdict ReadAll(Stream input)
    {
        using var text = Decompressed(input, out var compressed);
        var lines = new Utf8LineReader(text, MaxLineBytes);
        try
        {
            return ReadLayout(lines) ?? ReadLines(lines, compressed);
        }
        catch (InvalidDataException e) when (compressed)
        {
            return Reject(EventFileRejection.CorruptGzip, $"The file is gzip-compressed but cannot be decompressed after line {lines.LineNumber}: {e.Message}", lines);
        }
    }

    /// <summary>
    /// The text of <paramref name="input"/>: decompressed when it starts with the gzip magic bytes 1F 8B, and then refused
    /// (<see cref="InvalidDataException"/>) when damaged or cut short.
    /// </summary>
    private static Stream Decompressed(Stream input, out bool compressed)
    {
        var magic = new byte[2];
        var read = input.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        var whole = new PrefixedStream(magic.AsMemory(0, read), input);
        compressed = read == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
        return compressed ? new CheckedGzipStream(whole) : whole;
    }

    /// <summary>
    /// Reads up to the first non-blank line and decides from it the format (a <c>{</c> makes it JSON lines) and the kind
    /// (by its columns). Returns a rejection when that line says the file is not events or news.
    /// </summary>
    private EventFileVerdict.Rejected? ReadLayout(Utf8LineReader lines)
    {
        ReadOnlySpan<byte> first;
        bool tooLong;
        do
        {
            if (!lines.TryRead(out first, out tooLong))
            {
                return Reject(EventFileRejection.Empty, lines.LineNumber == 0 ? "The file is empty (0 bytes)." : "The file has only blank lines.", lines);
            }
        }
        while (!tooLong && IsBlank(first));

        if (tooLong || !Utf8.IsValid(first) || first.Contains((byte)0))
        {
            return Reject(EventFileRejection.NotText, "The file is not a text file of events: its first line is not UTF-8 text (is it a binary file, an image or an archive?).", lines);
        }

        return first.TrimStart(" \t"u8) is [(byte)'{', ..] ? ReadFirstJsonLine(first, lines) : ReadCsvHeader(first, lines);
    }

    private EventFileVerdict.Rejected? ReadCsvHeader(ReadOnlySpan<byte> header, Utf8LineReader lines)
    {
        _format = EventFileFormat.Csv;
        if (!_csv.TrySplit(header, out var reason))
        {
            return Reject(EventFileRejection.UnrecognisedColumns, $"The header row cannot be read: {reason}.", lines);
        }

        var found = new List<(Column Column, int Index)>();
        for (var i = 0; i < _csv.Count; i++)
        {
            var slice = _csv[i];
            var source = _csv.Source is null ? header : _csv.Source;
            if (Columns.TryFind(source.Slice(slice.Start, slice.Length), out var column) && !found.Exists(f => f.Column == column))
            {
                found.Add((column, i));
            }
        }

        _csvColumns = [.. found];
        _csvColumnCount = _csv.Count;
        _derivedIds = _blobName is not null && !found.Exists(f => f.Column == Column.EventId) ? new DerivedEventIds(_blobName) : null;
        var present = found.ConvertAll(f => f.Column);
        return Classify(present, requireAll: true) is null
            ? RejectColumns("The first line is not a header row of events or news", present, header, lines)
            : null;
    }

    private EventFileVerdict.Rejected? ReadFirstJsonLine(ReadOnlySpan<byte> line, Utf8LineReader lines)
    {
        _format = EventFileFormat.JsonLines;
        _derivedIds = _blobName is null ? null : new DerivedEventIds(_blobName);
        if (!_json.TryRead(line, _fields, out var reason))
        {
            return Reject(EventFileRejection.UnrecognisedColumns, $"The first line starts like JSON lines but is not a JSON object of an event or news item: {reason}.", lines);
        }

        var present = new List<Column>();
        foreach (var column in Enum.GetValues<Column>())
        {
            if (!_fields.Get(column, line).IsEmpty)
            {
                present.Add(column);
            }
        }

        if (Classify(present, requireAll: false) is null)
        {
            return RejectColumns("The first JSON object is neither an event nor a news item", present, line, lines);
        }

        ReadItem(line, lines.LineNumber);
        return null;
    }

    /// <summary>
    /// Sets the kind from the columns present: a header must have all of a kind's required columns; a JSON object (whose
    /// line may be bad) needs only a column that only that kind has. Null when neither kind fits.
    /// </summary>
    private EventFileKind? Classify(List<Column> present, bool requireAll)
    {
        bool Fits(Column[] required, Column[] distinctive) =>
            requireAll ? required.All(present.Contains) : distinctive.Any(present.Contains);

        EventFileKind? kind = Fits(Columns.RequiredForEvents, Columns.EventsOnly) ? EventFileKind.Events
            : Fits(Columns.RequiredForNews, Columns.NewsOnly) ? EventFileKind.News
            : null;
        _kind = kind ?? _kind;
        return kind;
    }

    private EventFileVerdict.Rejected RejectColumns(string what, List<Column> present, ReadOnlySpan<byte> line, Utf8LineReader lines)
    {
        string Needs(Column[] required)
        {
            var missing = required.Where(c => !present.Contains(c)).ToList();
            return $"{Columns.List(required)} (missing here: {Columns.List(missing)})";
        }

        return Reject(
            EventFileRejection.UnrecognisedColumns,
            $"{what}. Event files need the columns {Needs(Columns.RequiredForEvents)}; news files need {Needs(Columns.RequiredForNews)}. "
            + $"The first line was: '{RecordParser.Show(line)}'.",
            lines);
    }

    private EventFileVerdict ReadLines(Utf8LineReader lines, bool compressed)
    {
        while (lines.TryRead(out var line, out var tooLong))
        {
            if (tooLong)
            {
                AddBadLine(lines.LineNumber, $"longer than {MaxLineBytes} bytes");
            }
            else if (!IsBlank(line))
            {
                ReadItem(line, lines.LineNumber);
            }
        }

        if (_items > 0)
        {
            var events = _kind == EventFileKind.Events ? _items : 0;
            return new EventFileVerdict.Accepted(_kind, _format, compressed, lines.LineNumber, events, _items - events, _badLineCount, _badLines);
        }

        return _badLineCount == 0
            ? Reject(EventFileRejection.NoValidLines, "The file has a header row but no events.", lines)
            : Reject(EventFileRejection.NoValidLines, $"Not one of the {_badLineCount} lines is a valid {(_kind == EventFileKind.Events ? "event" : "news item")}; the first problem: {_badLines[0]}.", lines);
    }

    private void ReadItem(ReadOnlySpan<byte> line, long lineNumber)
    {
        if (TryParseItem(line, lineNumber, out var reason))
        {
            _items++;
        }
        else
        {
            AddBadLine(lineNumber, reason);
        }
    }

    private bool TryParseItem(ReadOnlySpan<byte> line, long lineNumber, out string reason)
    {
        if (!Utf8.IsValid(line))
        {
            reason = "not valid UTF-8";
            return false;
        }

        if (!(_format == EventFileFormat.Csv ? TrySplitCsv(line, out reason) : _json.TryRead(line, _fields, out reason)))
        {
            return false;
        }

        if (_kind == EventFileKind.News)
        {
            if (!_records.TryParseNews(_fields, line, out var news, out reason))
            {
                return false;
            }

            _sink.OnNews(in news);
            return true;
        }

        if (!_records.TryParseEvent(_fields, line, _derivedIds, lineNumber, out var record, out reason))
        {
            return false;
        }

        if (_sink is IEventRecordSink records)
        {
            records.OnEvent(in record);
        }
        else
        {
            var marketEvent = _strings.ToMarketEvent(in record);
            _sink.OnEvent(in marketEvent);
        }

        return true;
    }

    private bool TrySplitCsv(ReadOnlySpan<byte> line, out string reason)
    {
        if (!_csv.TrySplit(line, out reason))
        {
            return false;
        }

        if (_csv.Count != _csvColumnCount)
        {
            reason = $"{_csv.Count} columns, the header has {_csvColumnCount}";
            return false;
        }

        _fields.Reset(_csv.Source);
        foreach (var (column, index) in _csvColumns)
        {
            _fields.Set(column, _csv[index]);
        }

        return true;
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.IndexOfAnyExcept(" \t"u8) < 0;

    private void AddBadLine(long lineNumber, string reason)
    {
        _badLineCount++;
        if (_badLines.Count < MaxBadLinesKept)
        {
            _badLines.Add(new BadLine(lineNumber, reason));
        }
    }

    private EventFileVerdict.Rejected Reject(EventFileRejection code, string reason, Utf8LineReader lines) =>
        new(code, reason, lines.LineNumber, _badLineCount, _badLines);
}

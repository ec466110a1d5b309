using System.Text.Json.Serialization;

namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// What <see cref="EventFileReader"/> made of an input file: <see cref="Accepted"/> (possibly with bad lines, which were
/// skipped and reported) or <see cref="Rejected"/> (nothing in it can be scanned).
/// </summary>
/// <param name="Lines">Physical lines read, header and blank lines included.</param>
/// <param name="BadLineCount">Lines skipped because they could not be read as an event or news item.</param>
/// <param name="BadLines">The first <see cref="EventFileReader.MaxBadLinesKept"/> of them, in file order.</param>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "verdict")]
[JsonDerivedType(typeof(Accepted), "accepted")]
[JsonDerivedType(typeof(Rejected), "rejected")]
public abstract record EventFileVerdict(long Lines, long BadLineCount, IReadOnlyList<BadLine> BadLines)
{
    /// <summary>At least one event or news item was read and handed out.</summary>
    /// <param name="Kind">Whether the file held order and trade events or news items.</param>
    /// <param name="Format">CSV with a header row, or JSON lines.</param>
    /// <param name="Compressed">Whether the file was gzip-compressed.</param>
    /// <param name="Events">Order and trade events handed out.</param>
    /// <param name="News">News items handed out.</param>
    public sealed record Accepted(
        EventFileKind Kind,
        EventFileFormat Format,
        bool Compressed,
        long Lines,
        long Events,
        long News,
        long BadLineCount,
        IReadOnlyList<BadLine> BadLines) : EventFileVerdict(Lines, BadLineCount, BadLines);

    /// <summary>
    /// Nothing in the file can be scanned. Events already handed out before a late rejection (a gzip stream that breaks
    /// half-way) must be discarded by the caller.
    /// </summary>
    /// <param name="Reason">What is wrong, in words the person who produced the file can act on.</param>
    public sealed record Rejected(
        EventFileRejection Code,
        string Reason,
        long Lines,
        long BadLineCount,
        IReadOnlyList<BadLine> BadLines) : EventFileVerdict(Lines, BadLineCount, BadLines);
}

/// <summary>A line that was skipped, and why.</summary>
/// <param name="Line">1-based line number in the (decompressed) file; the header is line 1.</param>
/// <param name="Reason">What is wrong with it, e.g. <c>quantity 'abc' is not a whole number</c>.</param>
public readonly record struct BadLine(long Line, string Reason)
{
    public override string ToString() => $"line {Line}: {Reason}";
}

[JsonConverter(typeof(JsonStringEnumConverter<EventFileKind>))]
public enum EventFileKind
{
    /// <summary>Order and trade events (<see cref="MarketEvent"/>).</summary>
    Events,

    /// <summary>The news / corporate-event feed (<see cref="NewsEvent"/>).</summary>
    News,
}

[JsonConverter(typeof(JsonStringEnumConverter<EventFileFormat>))]
public enum EventFileFormat
{
    /// <summary>Comma-separated values under a header row (RFC 4180 quoting).</summary>
    Csv,

    /// <summary>One JSON object per line.</summary>
    JsonLines,
}

[JsonConverter(typeof(JsonStringEnumConverter<EventFileRejection>))]
public enum EventFileRejection
{
    /// <summary>0 bytes, or only blank lines.</summary>
    Empty,

    /// <summary>The first line is not UTF-8 text (a binary file such as an image or an archive).</summary>
    NotText,

    /// <summary>The header row (or the first JSON object) has neither the event columns nor the news columns.</summary>
    UnrecognisedColumns,

    /// <summary>The header is fine but not a single line is a valid event or news item.</summary>
    NoValidLines,

    /// <summary>The file starts like gzip but cannot be decompressed.</summary>
    CorruptGzip,

    /// <summary>The blob's name breaks the name rule (<see cref="Storage.BlobNames.Problem"/>): the file is never read.</summary>
    BadName,
}

using System.Text;

namespace Orchestration.Workflows.FraudScan;

/// <summary>The columns an event or news file may have: CSV header names and JSON property names alike.</summary>
internal enum Column : byte
{
    Timestamp,
    EventId,
    Type,
    OrderId,
    Account,
    Owner,
    Firm,
    Trader,
    Symbol,
    Side,
    Price,
    Quantity,
    Venue,
    Capacity,
    ExecId,
    Headline,
    Materiality,
}

internal static class Columns
{
    public const int Count = (int)Column.Materiality + 1;

    /// <summary>
    /// What an event line must have. Price is required too, but only for NEW, MODIFY and TRADE; eventId too, unless the
    /// file has no eventId column (or, in JSON lines, the object none), when the event's id is <c>{blob}#{line}</c>
    /// (<see cref="DerivedEventIds"/>).
    /// </summary>
    public static readonly Column[] RequiredForEvents =
    [
        Column.Timestamp, Column.Type, Column.OrderId, Column.Account,
        Column.Firm, Column.Symbol, Column.Side, Column.Quantity, Column.Venue,
    ];

    public static readonly Column[] RequiredForNews = [Column.Symbol, Column.Timestamp, Column.Headline, Column.Materiality];

    /// <summary>Columns only events have: any of them in the first JSON object makes the file an events file.</summary>
    public static readonly Column[] EventsOnly = [Column.EventId, Column.Type, Column.OrderId, Column.Side, Column.Quantity];

    /// <summary>Columns only news items have.</summary>
    public static readonly Column[] NewsOnly = [Column.Headline, Column.Materiality];

    private static readonly string[] Names =
    [
        "timestamp", "eventId", "type", "orderId", "account", "owner", "firm", "trader", "symbol",
        "side", "price", "quantity", "venue", "capacity", "execId", "headline", "materiality",
    ];

    private static readonly byte[][] Utf8Names = Array.ConvertAll(Names, Encoding.UTF8.GetBytes);

    public static string Name(Column column) => Names[(int)column];

    public static string List(IEnumerable<Column> columns) => string.Join(", ", columns.Select(Name));

    /// <summary>Finds the column a header cell or property name stands for: case-insensitive, surrounding spaces ignored.</summary>
    public static bool TryFind(ReadOnlySpan<byte> name, out Column column)
    {
        name = name.Trim(" \t"u8);
        for (var i = 0; i < Utf8Names.Length; i++)
        {
            if (Ascii.EqualsIgnoreCase(name, Utf8Names[i]))
            {
                column = (Column)i;
                return true;
            }
        }

        column = default;
        return false;
    }
}

/// <summary>Where a value sits: an offset and length into the line or into an unescaping buffer (see <see cref="LineFields"/>).</summary>
internal readonly record struct FieldSlice(int Start, int Length);

/// <summary>
/// The values of the current line by column, as slices rather than strings, so a value becomes a string only when it
/// is one in the event (and then interned where it repeats). Values that had to be unescaped (quoted CSV, escaped JSON
/// strings) live in a separate buffer; all values of a line come from the same place.
/// </summary>
internal sealed class LineFields
{
    private readonly FieldSlice[] _slices = new FieldSlice[Columns.Count];
    private byte[]? _unescaped;

    /// <summary>Forgets the previous line's values.</summary>
    /// <param name="unescaped">The buffer this line's values are in, or null when they are slices of the line itself.</param>
    public void Reset(byte[]? unescaped)
    {
        Array.Clear(_slices);
        _unescaped = unescaped;
    }

    public void Set(Column column, FieldSlice slice) => _slices[(int)column] = slice;

    /// <summary>The value without surrounding spaces; empty when the column is absent or blank.</summary>
    public ReadOnlySpan<byte> Get(Column column, ReadOnlySpan<byte> line)
    {
        var slice = _slices[(int)column];
        var source = _unescaped is null ? line : _unescaped;
        return source.Slice(slice.Start, slice.Length).Trim((byte)' ');
    }

    /// <summary>Whether every one of <paramref name="required"/> has a value on this line.</summary>
    /// <param name="reason">Names the first that has none, e.g. <c>missing eventId</c>.</param>
    public bool HasAll(Column[] required, ReadOnlySpan<byte> line, out string reason)
    {
        foreach (var column in required)
        {
            if (Get(column, line).IsEmpty)
            {
                reason = $"missing {Columns.Name(column)}";
                return false;
            }
        }

        reason = "";
        return true;
    }
}

using System.Runtime.InteropServices;

namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// One symbol's events as a scan holds them until their turn: in arrival order, in a form the garbage collector never
/// has to look into. A day held as <see cref="MarketEvent"/>s is ~200 bytes and three strings per event (its ids) that
/// live until the end of the read, and each collection copies them on to the next generation — that cost more than
/// parsing them. Here an event is a fixed record without references (the repeated strings as indexes into the scan's
/// <see cref="HeldStrings"/>, the ids as characters in a block of text), in chunks small enough to stay off the
/// large-object heap, and becomes a <see cref="MarketEvent"/> again only when its symbol is scanned.
/// </summary>
internal sealed class HeldEvents
{
    /// <summary>1,024 records of 64 bytes: under the 85,000-byte large-object threshold.</summary>
    private const int ChunkLength = 1024;

    /// <summary>
    /// The first chunk starts this small and doubles up to <see cref="ChunkLength"/>: a partition may hold many symbols
    /// of a few events each, and each must cost about what its events do, not a whole chunk.
    /// </summary>
    private const int FirstChunkLength = 4;

    /// <summary>Characters per block of ids at most; a longer set of ids gets a block of its own.</summary>
    private const int TextBlockLength = 16 * 1024;

    /// <summary>The first block of ids: each next block is twice the last, up to <see cref="TextBlockLength"/>.</summary>
    private const int FirstTextBlockLength = 64;

    private readonly List<Held[]> _chunks = [];
    private readonly List<char[]> _text = [];
    private int _textUsed;
    private long _lastTimestamp = long.MinValue;
    private bool _outOfOrder;

    public int Count { get; private set; }

    public void Add(in MarketEvent e, HeldStrings strings)
    {
        int offset = Count % ChunkLength;
        if (offset == 0)
        {
            _chunks.Add(new Held[_chunks.Count == 0 ? FirstChunkLength : ChunkLength]);
        }
        else if (offset == _chunks[^1].Length)
        {
            // Only the first chunk is ever short: it grows until it is a whole chunk, so record i stays at [i / ChunkLength][i % ChunkLength].
            Held[] first = _chunks[0];
            Array.Resize(ref first, Math.Min(ChunkLength, offset * 2));
            _chunks[0] = first;
        }

        (int block, int start) = Store(e.EventId, e.OrderId, e.ExecId);
        _chunks[^1][offset] = new Held(
            e.Timestamp,
            e.Price,
            e.Quantity,
            strings.IndexOf(e.Account),
            strings.IndexOf(e.Owner),
            strings.IndexOf(e.Firm),
            strings.IndexOf(e.Trader),
            strings.IndexOf(e.Venue),
            block,
            start,
            checked((ushort)e.EventId.Length),
            checked((ushort)e.OrderId.Length),
            checked((ushort)e.ExecId.Length),
            e.Type,
            e.Side,
            e.Capacity);
        _outOfOrder |= e.Timestamp < _lastTimestamp;
        _lastTimestamp = e.Timestamp;
        Count++;
    }

    /// <summary>
    /// The events again, into <paramref name="day"/> (at least <see cref="Count"/> long; reused from symbol to symbol), by
    /// time with ties in arrival order; the held form is let go. Files are usually written in time order, so this is
    /// usually no sort; otherwise a sort on (time, arrival), which no two events share, so any sort is stable.
    /// </summary>
    public ArraySegment<MarketEvent> MoveSortedTo(MarketEvent[] day, string symbol, HeldStrings strings)
    {
        for (int i = 0; i < Count; i++)
        {
            ref readonly Held h = ref _chunks[i / ChunkLength][i % ChunkLength];
            ReadOnlySpan<char> ids = _text[h.Block].AsSpan(h.Start, h.EventIdLength + h.OrderIdLength + h.ExecIdLength);
            day[i] = new MarketEvent(
                h.Timestamp,
                Text(ids[..h.EventIdLength]),
                h.Type,
                Text(ids.Slice(h.EventIdLength, h.OrderIdLength)),
                strings[h.Account],
                strings[h.Owner],
                strings[h.Firm],
                strings[h.Trader],
                symbol,
                h.Side,
                h.Price,
                h.Quantity,
                strings[h.Venue],
                h.Capacity,
                Text(ids[(h.EventIdLength + h.OrderIdLength)..]));
        }

        _chunks.Clear();
        _text.Clear();
        if (_outOfOrder)
        {
            var keys = new (long Timestamp, int Arrival)[Count];
            for (int i = 0; i < keys.Length; i++)
            {
                keys[i] = (day[i].Timestamp, i);
            }

            Array.Sort(keys, day, 0, Count);
        }

        return new ArraySegment<MarketEvent>(day, 0, Count);
    }

    private static string Text(ReadOnlySpan<char> chars) => chars.IsEmpty ? "" : new string(chars);

    /// <summary>Copies the three ids one after the other into a text block: where they start.</summary>
    private (int Block, int Start) Store(string eventId, string orderId, string execId)
    {
        int length = eventId.Length + orderId.Length + execId.Length;
        if (_text.Count == 0 || _text[^1].Length - _textUsed < length)
        {
            int next = _text.Count == 0 ? FirstTextBlockLength : Math.Min(TextBlockLength, _text[^1].Length * 2);
            _text.Add(new char[Math.Max(next, length)]);
            _textUsed = 0;
        }

        Span<char> destination = _text[^1].AsSpan(_textUsed);
        eventId.CopyTo(destination);
        orderId.CopyTo(destination[eventId.Length..]);
        execId.CopyTo(destination[(eventId.Length + orderId.Length)..]);
        int start = _textUsed;
        _textUsed += length;
        return (_text.Count - 1, start);
    }

    /// <summary>An event without references: 64 bytes.</summary>
    [StructLayout(LayoutKind.Auto)]
    private readonly record struct Held(
        long Timestamp,
        double Price,
        long Quantity,
        int Account,
        int Owner,
        int Firm,
        int Trader,
        int Venue,
        int Block,
        int Start,
        ushort EventIdLength,
        ushort OrderIdLength,
        ushort ExecIdLength,
        EventType Type,
        Side Side,
        Capacity Capacity);
}

/// <summary>
/// The repeated strings of a scan (accounts, owners, firms, traders, venues), each kept once and named by an index.
/// Keyed by value, not by reference: the readers intern only so many values (<see cref="Utf8StringPool.MaxEntries"/>),
/// and a day with more accounts than that hands over a new instance of the same account on every line — keyed by
/// reference, each took a new index, and a 10 M-event day's table grew by millions of entries.
/// </summary>
internal sealed class HeldStrings
{
    private readonly StringIndex _indexes = new();
    private readonly List<string> _values = [];

    public string this[int index] => _values[index];

    public int IndexOf(string value)
    {
        ref StringIndex.Slot slot = ref _indexes.Find(value);
        if (slot.Value is not null)
        {
            return slot.Index;
        }

        _indexes.Add(ref slot, value);
        _values.Add(value);
        return _values.Count - 1;
    }
}

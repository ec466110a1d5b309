using System.Buffers.Binary;
using System.Text;

namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// One symbol's events as a scan holds them until their turn: in arrival order, in a form the garbage collector never
/// has to look into. A day held as <see cref="MarketEvent"/>s is ~200 bytes and three strings per event (its ids) that
/// live until the end of the read, and each collection copies them on to the next generation — that cost more than
/// parsing them. Here an event is a <see cref="DayEvent"/> (names as keys of the scan's <see cref="DayNames"/>), in chunks
/// small enough to stay off the large-object heap, and its three ids are UTF-8 appended one after the other to blocks of
/// bytes; the rules read that same record, so nothing is rebuilt when the symbol is scanned. A file interleaves its
/// symbols, so every event lands in another symbol's memory: each symbol writes to two places only (its last chunk and
/// its last block of ids), which keeps the cache misses per event down (with a list per id it was seven places).
/// </summary>
/// <remarks>
/// Order and execution ids get their keys (<see cref="DayEvent.Order"/>, <see cref="DayEvent.Exec"/>) only when the symbol
/// is scanned, not as events arrive: files interleave symbols, so a table per symbol filled while reading is a cache
/// miss on almost every look-up. Measured on 2 M generated events: keyed while reading, ~0.75 s (more than the rest of
/// holding them); keyed one symbol at a time, with the table sized for the symbol's events, ~0.35 s.
/// </remarks>
internal sealed class HeldEvents
{
    /// <summary>1,024 records of 64 bytes: under the 85,000-byte large-object threshold.</summary>
    private const int ChunkLength = 1024;

    /// <summary>
    /// The first chunk starts this small and doubles up to <see cref="ChunkLength"/>: a partition may hold many symbols
    /// of a few events each, and each must cost about what its events do, not a whole chunk.
    /// </summary>
    private const int FirstChunkLength = 4;

    /// <summary>Bytes per block of ids at most: under the large-object threshold. A longer set of ids gets a block of its own.</summary>
    private const int IdBlockLength = 64 * 1024;

    /// <summary>The first block of ids: each next block is twice the last, up to <see cref="IdBlockLength"/>.</summary>
    private const int FirstIdBlockLength = 64;

    private readonly List<DayEvent[]> _chunks = [];
    private readonly List<byte[]> _idBlocks = [];
    private readonly List<int> _idBlockUsed = [];
    private long[] _eventIdAt = [];
    private Utf8Keys _orders = new(0);
    private Utf8Keys _executions = new(0);
    private long _lastTimestamp = long.MinValue;
    private bool _outOfOrder;

    public int Count { get; private set; }

    public int Orders => _orders.Count;

    public int Executions => _executions.Count;

    /// <summary>The event id of the event that arrived <paramref name="arrival"/>th (once its symbol is sorted, see <see cref="SortInto"/>).</summary>
    public string EventId(int arrival)
    {
        long at = _eventIdAt[arrival];
        return Encoding.UTF8.GetString(Id(_idBlocks[(int)(at >> 32)], (int)at, out _));
    }

    public string OrderId(int order) => _orders.GetString(order);

    /// <summary>Lets go of the ids and keys once the symbol's rules are done with it (its chunks went at <see cref="SortInto"/>).</summary>
    public void Release()
    {
        _idBlocks.Clear();
        _idBlockUsed.Clear();
        _eventIdAt = [];
        _orders = new Utf8Keys(0);
        _executions = new Utf8Keys(0);
    }

    public string ExecId(int execution) => _executions.GetString(execution);

    public void Add(in EventRecord e, DayNames names)
    {
        int account = names.KeyOf(e.Account);
        Add(new DayEvent(
            e.Timestamp,
            e.Price,
            e.Quantity,
            account,
            e.Owner == e.Account ? account : names.KeyOf(e.Owner),
            names.KeyOf(e.Firm),
            names.KeyOf(e.Trader),
            names.KeyOf(e.Venue),
            -1,
            -1,
            Arrival(e.EventId, e.OrderId, e.ExecId),
            e.Type,
            e.Side,
            e.Capacity));
    }

    /// <summary>Keeps an event's ids (each as a 2-byte length and its bytes), in arrival order: the event's arrival index.</summary>
    private int Arrival(ReadOnlySpan<byte> eventId, ReadOnlySpan<byte> orderId, ReadOnlySpan<byte> execId)
    {
        // A line is at most EventFileReader.MaxLineBytes (64 KiB), so each id's length fits in two bytes.
        int length = 6 + eventId.Length + orderId.Length + execId.Length;
        if (_idBlocks.Count == 0 || _idBlocks[^1].Length - _idBlockUsed[^1] < length)
        {
            int next = _idBlocks.Count == 0 ? FirstIdBlockLength : Math.Min(IdBlockLength, _idBlocks[^1].Length * 2);
            _idBlocks.Add(new byte[Math.Max(next, length)]);
            _idBlockUsed.Add(0);
        }

        Span<byte> to = _idBlocks[^1].AsSpan(_idBlockUsed[^1]);
        to = Put(to, eventId);
        to = Put(to, orderId);
        Put(to, execId);
        _idBlockUsed[^1] += length;
        return Count;

        static Span<byte> Put(Span<byte> to, ReadOnlySpan<byte> id)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(to, checked((ushort)id.Length));
            id.CopyTo(to[2..]);
            return to[(2 + id.Length)..];
        }
    }

    /// <summary>The id stored at <paramref name="start"/> of <paramref name="block"/>; <paramref name="next"/> is where the one after it starts.</summary>
    private static ReadOnlySpan<byte> Id(byte[] block, int start, out int next)
    {
        int length = BinaryPrimitives.ReadUInt16LittleEndian(block.AsSpan(start));
        next = start + 2 + length;
        return block.AsSpan(start + 2, length);
    }

    private void Add(in DayEvent e)
    {
        int offset = Count % ChunkLength;
        if (offset == 0)
        {
            _chunks.Add(new DayEvent[_chunks.Count == 0 ? FirstChunkLength : ChunkLength]);
        }
        else if (offset == _chunks[^1].Length)
        {
            // Only the first chunk is ever short: it grows until it is a whole chunk, so record i stays at [i / ChunkLength][i % ChunkLength].
            DayEvent[] first = _chunks[0];
            Array.Resize(ref first, Math.Min(ChunkLength, offset * 2));
            _chunks[0] = first;
        }

        _chunks[^1][offset] = e;
        _outOfOrder |= e.Timestamp < _lastTimestamp;
        _lastTimestamp = e.Timestamp;
        Count++;
    }

    /// <summary>
    /// The events into <paramref name="day"/> (at least <see cref="Count"/> long; reused from symbol to symbol), by time
    /// with ties in arrival order, their order and execution keys given; the chunks are let go (the ids stay, for the
    /// day's reports). Files are usually written in time order, so this is usually a copy; otherwise a sort on (time,
    /// arrival), which no two events share, so any sort is stable. Once per symbol. Returns <see cref="Count"/>.
    /// </summary>
    public int SortInto(DayEvent[] day)
    {
        _orders = new Utf8Keys(Count);
        _executions = new Utf8Keys(Count / 2);
        _eventIdAt = new long[Count];
        int block = 0;
        int at = 0;
        for (int i = 0; i < Count; i++)
        {
            if (at == _idBlockUsed[block])
            {
                block++;
                at = 0;
            }

            byte[] ids = _idBlocks[block];
            _eventIdAt[i] = ((long)block << 32) | (uint)at;
            Id(ids, at, out at);
            ReadOnlySpan<byte> order = Id(ids, at, out at);
            ReadOnlySpan<byte> exec = Id(ids, at, out at);
            day[i] = _chunks[i / ChunkLength][i % ChunkLength] with { Order = _orders.KeyOf(order), Exec = exec.IsEmpty ? -1 : _executions.KeyOf(exec) };
        }

        _chunks.Clear();
        if (_outOfOrder)
        {
            day.AsSpan(0, Count).Sort(static (a, b) => a.Timestamp != b.Timestamp ? a.Timestamp.CompareTo(b.Timestamp) : a.Arrival.CompareTo(b.Arrival));
        }

        return Count;
    }
}

using System.Buffers.Binary;
using System.Text;

namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// The partition blob format, version 3. Every partition goes into storage and back out once per scan, and storage is
/// the bottleneck, so the format is small (a generated day takes about 24 bytes an event, version 1 took 77); it decodes
/// without hashing; and it checks itself. A partition is read in the order it was written, so values are written
/// relative to what came before in the same partition (<see cref="PartitionEncoder"/> and <see cref="PartitionDecoder"/>
/// keep that state, one of each per partition):
/// <list type="bullet">
/// <item><b>Header</b>: <c>FSEP</c> and a version byte, so a wrong blob is refused up front.</item>
/// <item><b>Event record</b>: a tag byte <c>0x80 | flags</c>: type in bits 0–1, side bit 2, capacity bit 3, price form
/// bits 4–5, "same party" bit 6. Then the timestamp as a zigzag varint delta to the previous event's (the first one's
/// to 0); the price; the quantity as a zigzag varint; symbol and account as table references; unless "same party",
/// owner, firm and trader as table references; venue as a table reference; eventId, orderId and execId as shared-prefix
/// strings.</item>
/// <item><b>Price</b>, by its form: 1, a varint count of hundredths; 2, a varint count of ten-thousandths; 0, the
/// double's 8 bytes; 3 is not used, so no event tag is 0xFF. A count is written only when dividing it back gives the
/// same double bit for bit, so any price (−0, 1e-9, 1e300) reads back exactly as parsed, and the usual ones take 2 to 4
/// bytes.</item>
/// <item><b>Table reference</b>: each of the six fields has its own string table, grown by the writer as values appear
/// and grown the same way by the reader. A varint below the table's count is an entry; equal to it, a value follows
/// inline (varint byte length, UTF-8) and joins the table as its next entry; one above, a value follows inline and does
/// not join; beyond that, the blob is corrupt. The writer lets a value join while it is at most
/// <see cref="MaxTabledBytes"/> bytes, the partition's tables hold fewer than <see cref="MaxTableEntries"/> entries
/// together and the writer's <see cref="TableBudget"/> lasts; the reader refuses a blob that grows a table past the
/// first two. So the reader resolves a repeated value by index, without hashing, into one string per distinct value,
/// and the memory of both sides stays bounded whatever the input.</item>
/// <item><b>Same party</b>: set when the account is a table entry and owner, firm and trader are those of the previous
/// event of that account in the partition (an account belongs to one owner and firm, and mostly one trader): three
/// references fewer to write and read.</item>
/// <item><b>Shared-prefix string</b>: a varint <c>suffix length × 32 + min(prefix length, 31)</c>, when that is 31 a
/// varint <c>prefix length − 31</c>, then the suffix's UTF-8; the value is the first prefix-length bytes of the same
/// field's previous value in the partition, then the suffix. Ids counted up in one feed (<c>E000123456</c> after
/// <c>E000123401</c>) take 3 bytes instead of 11, and ids derived from a long file name and a line number
/// (<c>{blob}#{line}</c>) 4 or so (version 2 shared at most 31 bytes).</item>
/// <item><b>News record</b>: tag 2, the timestamp (int64), materiality (double), the symbol as a table reference, the
/// headline (varint byte length, UTF-8).</item>
/// <item><b>End record</b>: tag 0xFF and the counts of events and news items as varints, so a blob cut short — even
/// between two records — is refused rather than scanned as if complete.</item>
/// </list>
/// Varints are LEB128, fixed-width numbers little-endian.
/// </summary>
internal static class EventCodec
{
    public const byte Version = 3;
    public const int HeaderLength = 5;

    /// <summary>Tag, up to two 10-byte varints: the most an end record takes.</summary>
    public const int MaxEndLength = 21;

    /// <summary>
    /// Entries of a partition's six string tables together: more than the accounts a partition of a busy day meets, and
    /// a hostile blob can make the reader keep no more than this many strings of <see cref="MaxTabledBytes"/>.
    /// </summary>
    public const int MaxTableEntries = 65_536;

    /// <summary>Longer values stay inline each time: they are rarely repeated, and keeping them would let the tables' memory grow with the input.</summary>
    public const int MaxTabledBytes = 128;

    /// <summary>Longer strings are taken for corruption, not data (a line is at most 64 KiB).</summary>
    private const int MaxStringBytes = 16 * 1024 * 1024;

    /// <summary>Tag, timestamp delta, price, quantity: the fixed part of an event record (the varints at their longest).</summary>
    private const int EventFixedLength = 1 + 10 + 10 + 10;

    /// <summary>Tag, timestamp, materiality.</summary>
    private const int NewsFixedLength = 1 + 8 + 8;

    /// <summary>What comes before a string's bytes at its longest: a table index and a length, or a shared-prefix header.</summary>
    private const int MaxStringOverhead = 10;

    /// <summary>Bits of a shared-prefix header that hold the prefix length.</summary>
    private const int PrefixBits = 5;

    private const int MaxPrefix = (1 << PrefixBits) - 1;

    /// <summary>2^53: every whole number up to it is an exact double.</summary>
    private const double MaxExactWhole = 9_007_199_254_740_992;

    private const int SameParty = 1 << 6;

    private const int FieldCount = 6;

    /// <summary>How a corrupt reference is named in the message, by <see cref="Field"/>.</summary>
    private static readonly string[] FieldNames = ["a symbol", "an account", "an owner", "a firm", "a trader", "a venue"];

    public static ReadOnlySpan<byte> Magic => "FSEP"u8;

    public enum Tag : byte
    {
        News = 2,

        /// <summary>The first of the event tags: an event's tag is this plus its flags.</summary>
        Event = 0x80,
        End = 0xFF,
    }

    /// <summary>How an event's price is written (bits 4–5 of its tag).</summary>
    private enum PriceForm
    {
        Double = 0,
        Hundredths = 1,
        TenThousandths = 2,
    }

    /// <summary>The fields written as table references, in the order they are written; each has its own table.</summary>
    private enum Field
    {
        Symbol,
        Account,
        Owner,
        Firm,
        Trader,
        Venue,
    }

    public static void WriteHeader(Span<byte> destination)
    {
        Magic.CopyTo(destination);
        destination[Magic.Length] = Version;
    }

    /// <summary>Throws <see cref="InvalidDataException"/> unless <paramref name="header"/> starts a partition this code reads.</summary>
    public static void CheckHeader(ReadOnlySpan<byte> header)
    {
        if (header.Length < HeaderLength || !header.StartsWith(Magic))
        {
            throw new InvalidDataException("This is not a fraud-scan partition: it does not start with 'FSEP'.");
        }

        if (header[Magic.Length] != Version)
        {
            throw new InvalidDataException($"This partition is in format version {header[Magic.Length]}; this code reads version {Version}.");
        }
    }

    /// <summary>Whether <paramref name="tag"/> starts an event record (price form 3 is not one, which keeps 0xFF for the end).</summary>
    public static bool IsEvent(byte tag) => tag >= (byte)Tag.Event && ((tag >> 4) & 0b11) != 0b11;

    public static int MaxLength(in MarketEvent e) =>
        EventFixedLength + MaxStringLength(e.EventId) + MaxStringLength(e.OrderId) + MaxStringLength(e.Account)
        + MaxStringLength(e.Owner) + MaxStringLength(e.Firm) + MaxStringLength(e.Trader) + MaxStringLength(e.Symbol)
        + MaxStringLength(e.Venue) + MaxStringLength(e.ExecId);

    /// <summary>At most how many bytes <see cref="PartitionEncoder.Write(in EventRecord, Span{byte})"/> writes for <paramref name="e"/>.</summary>
    public static int MaxLength(in EventRecord e) =>
        EventFixedLength + (9 * MaxStringOverhead) + e.EventId.Length + e.OrderId.Length + e.Account.Length
        + e.Owner.Length + e.Firm.Length + e.Trader.Length + e.Symbol.Length
        + e.Venue.Length + e.ExecId.Length;

    public static int MaxLength(in NewsEvent news) => NewsFixedLength + MaxStringLength(news.Symbol) + MaxStringLength(news.Headline);

    public static int WriteEnd(long events, long news, Span<byte> destination)
    {
        var writer = new SpanWriter(destination);
        writer.Byte((byte)Tag.End);
        writer.Varint((ulong)events);
        writer.Varint((ulong)news);
        return writer.Position;
    }

    public static bool TryReadEnd(ref SpanReader reader, out long events, out long news)
    {
        var complete = reader.TryVarint(out var eventCount) & reader.TryVarint(out var newsCount);
        events = (long)eventCount;
        news = (long)newsCount;
        return complete;
    }

    private static int MaxStringLength(string value) => MaxStringOverhead + Encoding.UTF8.GetMaxByteCount(value.Length);

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    private static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    /// <summary>
    /// The shortest exact form of <paramref name="price"/>: a whole number of hundredths or ten-thousandths whose
    /// quotient is the very same double (the decoder divides the same way), else the double itself. −0, NaN, infinities
    /// and negative prices are written as doubles.
    /// </summary>
    private static PriceForm FormOf(double price, out ulong count)
    {
        if (IsCount(price, 100, out count))
        {
            return PriceForm.Hundredths;
        }

        return IsCount(price, 10_000, out count) ? PriceForm.TenThousandths : PriceForm.Double;
    }

    private static bool IsCount(double price, double scale, out ulong count)
    {
        // Up to 2^53 every whole number is an exact double, so the count converts both ways without rounding.
        var scaled = Math.Round(price * scale);
        var whole = scaled is >= 0 and <= MaxExactWhole;
        count = whole ? (ulong)scaled : 0;
        return whole && BitConverter.DoubleToInt64Bits(count / scale) == BitConverter.DoubleToInt64Bits(price);
    }

    private static double Price(PriceForm form, ulong count) => count / (form == PriceForm.Hundredths ? 100.0 : 10_000.0);

    /// <summary>
    /// Writes one partition's records, keeping what later records are written relative to: the string tables, each
    /// account's party, the previous timestamp and the previous ids. Memory: the tables (at most
    /// <see cref="MaxTableEntries"/> short strings, which the parser mostly holds anyway) and the longest id's UTF-8,
    /// twice per id field.
    /// </summary>
    /// <param name="budget">Shared by the encoders of one writer, whose partitions' tables are all held until it completes.</param>
    public sealed class PartitionEncoder(TableBudget budget)
    {
        private readonly Utf8Keys[] _tables = [new(), new(), new(), new(), new(), new()];
        private readonly SharedPrefixWriter _eventId = new();
        private readonly SharedPrefixWriter _orderId = new();
        private readonly SharedPrefixWriter _execId = new();
        private PartyKeys[] _parties = [];
        private int _tableEntries;
        private long _timestamp;

        /// <summary>Writes <paramref name="e"/>; <paramref name="destination"/> holds at least <see cref="MaxLength(in EventRecord)"/> bytes.</summary>
        public int Write(in EventRecord e, Span<byte> destination)
        {
            var writer = new SpanWriter(destination);
            writer.Byte(0); // The tag, once the flags are known.
            var form = FormOf(e.Price, out var count);
            writer.Varint(ZigZag(unchecked(e.Timestamp - _timestamp)));
            _timestamp = e.Timestamp;
            if (form == PriceForm.Double)
            {
                writer.Double(e.Price);
            }
            else
            {
                writer.Varint(count);
            }

            writer.Varint(ZigZag(e.Quantity));
            Reference(ref writer, Field.Symbol, e.Symbol);
            var account = Reference(ref writer, Field.Account, e.Account);
            var flags = (int)e.Type | ((int)e.Side << 2) | ((int)e.Capacity << 3) | ((int)form << 4);
            if (account >= 0 && account < _parties.Length && IsSameParty(_parties[account], e.Owner, e.Firm, e.Trader))
            {
                flags |= SameParty;
            }
            else
            {
                var party = new PartyKeys(
                    Reference(ref writer, Field.Owner, e.Owner) + 1,
                    Reference(ref writer, Field.Firm, e.Firm) + 1,
                    Reference(ref writer, Field.Trader, e.Trader) + 1);
                if (account >= 0)
                {
                    Remember(ref _parties, account, party);
                }
            }

            Reference(ref writer, Field.Venue, e.Venue);
            _eventId.Write(ref writer, e.EventId);
            _orderId.Write(ref writer, e.OrderId);
            _execId.Write(ref writer, e.ExecId);
            destination[0] = (byte)((int)Tag.Event | flags);
            return writer.Position;
        }

        /// <summary>Writes <paramref name="news"/>; <paramref name="destination"/> holds at least <see cref="MaxLength(in NewsEvent)"/> bytes.</summary>
        public int Write(in NewsEvent news, Span<byte> destination)
        {
            var writer = new SpanWriter(destination);
            writer.Byte((byte)Tag.News);
            writer.Int64(news.Timestamp);
            writer.Double(news.Materiality);
            Reference(ref writer, Field.Symbol, Utf8List.Utf8(news.Symbol, stackalloc byte[256]));
            writer.String(news.Headline);
            return writer.Position;
        }

        /// <summary>
        /// Whether the account's previous event had this owner, firm and trader: compared with the table entries the
        /// party was remembered by, which costs no look-up. A party with a value that is not in its table is never the same.
        /// </summary>
        private bool IsSameParty(PartyKeys party, ReadOnlySpan<byte> owner, ReadOnlySpan<byte> firm, ReadOnlySpan<byte> trader) =>
            party.Owner > 0 && party.Firm > 0 && party.Trader > 0
            && _tables[(int)Field.Owner][party.Owner - 1].SequenceEqual(owner)
            && _tables[(int)Field.Firm][party.Firm - 1].SequenceEqual(firm)
            && _tables[(int)Field.Trader][party.Trader - 1].SequenceEqual(trader);

        /// <summary>Writes a table reference (or an inline value, which joins the table while it and the budget have room); the value's index, −1 if it did not join.</summary>
        private int Reference(ref SpanWriter writer, Field field, scoped ReadOnlySpan<byte> value)
        {
            var table = _tables[(int)field];
            var found = table.IndexOf(value);
            if (found >= 0)
            {
                writer.Varint((uint)found);
                return found;
            }

            var index = table.Count;
            var joins = value.Length <= MaxTabledBytes && _tableEntries < MaxTableEntries && budget.TryTake();
            writer.Varint((uint)index + (joins ? 0u : 1u));
            writer.Varint((ulong)value.Length);
            writer.Bytes(value);
            if (!joins)
            {
                return -1;
            }

            table.KeyOf(value);
            _tableEntries++;
            return index;
        }
    }

    /// <summary>
    /// How many more values the string tables of one writer's partitions may take together. Each partition is bounded
    /// by <see cref="MaxTableEntries"/>, but a writer holds all of its partitions' tables at once: this bounds the whole
    /// (past it, new values are written inline), so a file of endless distinct values cannot grow the writer's memory
    /// with its size. Not thread-safe, like the writer.
    /// </summary>
    public sealed class TableBudget(int entries)
    {
        private int _remaining = entries;

        public bool TryTake()
        {
            if (_remaining == 0)
            {
                return false;
            }

            _remaining--;
            return true;
        }
    }

    /// <summary>
    /// Reads one partition's records, keeping the same state as <see cref="PartitionEncoder"/>. A record is first read
    /// whole from the buffer, and only then does the state move on: a record cut by the buffer's end changes nothing, and
    /// is read again from its start once more bytes are in.
    /// </summary>
    public sealed class PartitionDecoder
    {
        private readonly byte[][][] _tables = [[], [], [], [], [], []];
        private readonly int[] _counts = new int[FieldCount];
        private readonly SharedPrefixReader _eventId = new("eventId");
        private readonly SharedPrefixReader _orderId = new("orderId");
        private readonly SharedPrefixReader _execId = new("execId");
        private Party[] _parties = [];
        private int _tableEntries;
        private long _timestamp;

        /// <summary>Reads an event record's fields after its <paramref name="tag"/>; false when <paramref name="reader"/> ends first.</summary>
        public bool TryReadEvent(byte tag, ref SpanReader reader, out EventRecord e)
        {
            e = default;
            var form = (PriceForm)((tag >> 4) & 0b11);
            var sameParty = (tag & SameParty) != 0;
            ulong count = 0;
            var price = 0.0;
            scoped PendingBytes owner = default, firm = default, trader = default;
            if (!reader.TryVarint(out var delta)
                || !(form == PriceForm.Double ? reader.TryDouble(out price) : reader.TryVarint(out count))
                || !reader.TryVarint(out var quantity)
                || !TryReference(ref reader, Field.Symbol, out var symbol)
                || !TryReference(ref reader, Field.Account, out var account)
                || !(sameParty || (TryReference(ref reader, Field.Owner, out owner)
                    && TryReference(ref reader, Field.Firm, out firm)
                    && TryReference(ref reader, Field.Trader, out trader)))
                || !TryReference(ref reader, Field.Venue, out var venue)
                || !_eventId.TryRead(ref reader, out var eventId)
                || !_orderId.TryRead(ref reader, out var orderId)
                || !_execId.TryRead(ref reader, out var execId))
            {
                return false;
            }

            if (sameParty && (account.Entry is null || account.Index >= _parties.Length || _parties[account.Index].Owner is null))
            {
                throw new InvalidDataException("The partition is corrupt: an event repeats its account's owner, firm and trader, but the account has none before.");
            }

            // New values join the tables in the order the writer added them, which decides who fits near the bound.
            var symbolBytes = Resolve(Field.Symbol, symbol, out _);
            var accountBytes = Resolve(Field.Account, account, out var accountIndex);
            Party party;
            if (sameParty)
            {
                party = _parties[accountIndex];
            }
            else
            {
                party = new Party(Resolve(Field.Owner, owner, out _), Resolve(Field.Firm, firm, out _), Resolve(Field.Trader, trader, out _));
                if (accountIndex >= 0)
                {
                    Remember(ref _parties, accountIndex, party);
                }
            }

            var venueBytes = Resolve(Field.Venue, venue, out _);
            _timestamp = unchecked(_timestamp + UnZigZag(delta));
            e = new EventRecord(
                _timestamp,
                _eventId.Take(eventId),
                (EventType)(tag & 0b11),
                _orderId.Take(orderId),
                accountBytes,
                party.Owner!,
                party.Firm,
                party.Trader,
                symbolBytes,
                (Side)((tag >> 2) & 1),
                form == PriceForm.Double ? price : Price(form, count),
                UnZigZag(quantity),
                venueBytes,
                (Capacity)((tag >> 3) & 1),
                _execId.Take(execId));
            return true;
        }

        /// <summary>Reads a news record's fields after its tag; false when <paramref name="reader"/> ends first.</summary>
        public bool TryReadNews(ref SpanReader reader, out NewsEvent news)
        {
            news = default;
            if (!reader.TryInt64(out var timestamp) || !reader.TryDouble(out var materiality)
                || !TryReference(ref reader, Field.Symbol, out var symbol) || !reader.TryString(out var headline))
            {
                return false;
            }

            news = new NewsEvent(Encoding.UTF8.GetString(Resolve(Field.Symbol, symbol, out _)), timestamp, Encoding.UTF8.GetString(headline), materiality);
            return true;
        }

        /// <summary>Reads a table reference without adding to the table: the entry it names, or the new value's bytes.</summary>
        private bool TryReference(ref SpanReader reader, Field field, out PendingBytes value)
        {
            value = default;
            if (!reader.TryVarint(out var index))
            {
                return false;
            }

            var count = _counts[(int)field];
            if (index < (ulong)count)
            {
                value = new PendingBytes(_tables[(int)field][(int)index], (int)index, default);
                return true;
            }

            if (index > (ulong)count + 1)
            {
                throw new InvalidDataException($"The partition is corrupt: {FieldNames[(int)field]} refers to entry {index} of a string table of {count}.");
            }

            if (!reader.TryString(out var utf8))
            {
                return false;
            }

            value = new PendingBytes(null, index == (ulong)count ? count : -1, utf8);
            return true;
        }

        /// <summary>The string of a reference read whole, and its index (−1 if it stays inline); a value that joins its table is added.</summary>
        private byte[] Resolve(Field field, in PendingBytes value, out int index)
        {
            index = value.Index;
            if (value.Entry is { } entry)
            {
                return entry;
            }

            var text = value.Utf8.ToArray();
            if (index < 0)
            {
                return text;
            }

            if (value.Utf8.Length > MaxTabledBytes || _tableEntries >= MaxTableEntries)
            {
                throw new InvalidDataException($"The partition is corrupt: {FieldNames[(int)field]} of {value.Utf8.Length} bytes joins a string table when the tables hold {_tableEntries} entries (at most {MaxTableEntries} of {MaxTabledBytes} bytes).");
            }

            ref var table = ref _tables[(int)field];
            if (index == table.Length)
            {
                Array.Resize(ref table, Math.Max(16, index * 2));
            }

            table[index] = text;
            _counts[(int)field]++;
            _tableEntries++;
            return text;
        }
    }

    /// <summary>Records <paramref name="party"/> for the account at <paramref name="index"/>, growing the array as the account table grows.</summary>
    private static void Remember<T>(ref T[] parties, int index, T party)
    {
        if (index >= parties.Length)
        {
            Array.Resize(ref parties, Math.Max(16, Math.Max(index + 1, parties.Length * 2)));
        }

        parties[index] = party;
    }

    /// <summary>The owner, firm and trader of an account's previous event in the partition, as the decoder keeps them (none: a null owner).</summary>
    private readonly record struct Party(byte[]? Owner, byte[] Firm, byte[] Trader);

    /// <summary>The same, as the encoder keeps it: each value's index in its table + 1 (0: not in the table, or no party yet — then it is never the same).</summary>
    private readonly record struct PartyKeys(int Owner, int Firm, int Trader);

    /// <summary>A table reference read but not yet resolved: an entry and its index, or an inline value's UTF-8 and the index it takes (−1: it does not join).</summary>
    private readonly ref struct PendingBytes(byte[]? entry, int index, ReadOnlySpan<byte> utf8)
    {
        public byte[]? Entry { get; } = entry;

        public int Index { get; } = index;

        public ReadOnlySpan<byte> Utf8 { get; } = utf8;
    }

    /// <summary>A shared-prefix string read but not yet taken: how many bytes of the previous value, then which new bytes.</summary>
    private readonly ref struct PendingSuffix(int prefix, ReadOnlySpan<byte> suffix)
    {
        public int Prefix { get; } = prefix;

        public ReadOnlySpan<byte> Suffix { get; } = suffix;
    }

    /// <summary>Writes one id field's values as shared-prefix strings, keeping the previous value's UTF-8.</summary>
    private sealed class SharedPrefixWriter
    {
        private byte[] _previous = new byte[32];
        private int _length;

        public void Write(ref SpanWriter writer, ReadOnlySpan<byte> value)
        {
            var prefix = _previous.AsSpan(0, _length).CommonPrefixLength(value);
            writer.Varint(((ulong)(value.Length - prefix) << PrefixBits) | (uint)Math.Min(prefix, MaxPrefix));
            if (prefix >= MaxPrefix)
            {
                writer.Varint((uint)(prefix - MaxPrefix));
            }

            writer.Bytes(value[prefix..]);
            if (_previous.Length < value.Length)
            {
                _previous = new byte[Math.Max(value.Length, _previous.Length * 2)];
            }

            value.CopyTo(_previous);
            _length = value.Length;
        }
    }

    /// <summary>Reads one id field's shared-prefix strings, keeping the previous value's UTF-8.</summary>
    private sealed class SharedPrefixReader(string name)
    {
        private byte[] _previous = new byte[32];
        private int _length;

        public bool TryRead(ref SpanReader reader, out PendingSuffix value)
        {
            value = default;
            if (!reader.TryVarint(out var header))
            {
                return false;
            }

            var prefix = (int)(header & MaxPrefix);
            var suffixLength = header >> PrefixBits;
            if (prefix == MaxPrefix)
            {
                if (!reader.TryVarint(out var more))
                {
                    return false;
                }

                prefix = more > (ulong)(MaxStringBytes - MaxPrefix) ? MaxStringBytes + 1 : MaxPrefix + (int)more;
            }

            if (prefix > _length)
            {
                throw new InvalidDataException($"The partition is corrupt: an {name} starts with {prefix} bytes of the previous one, which has {_length}.");
            }

            if (suffixLength > (ulong)(MaxStringBytes - prefix))
            {
                throw new InvalidDataException($"The partition is corrupt: an {name} of {(ulong)prefix + suffixLength} bytes.");
            }

            if (!reader.TryBytes((int)suffixLength, out var suffix))
            {
                return false;
            }

            value = new PendingSuffix(prefix, suffix);
            return true;
        }

        /// <summary>The value read whole, which becomes the previous one (so it is valid until the next is taken).</summary>
        public ReadOnlySpan<byte> Take(scoped in PendingSuffix value)
        {
            _length = value.Prefix + value.Suffix.Length;
            if (_previous.Length < _length)
            {
                Array.Resize(ref _previous, Math.Max(_length, _previous.Length * 2));
            }

            value.Suffix.CopyTo(_previous.AsSpan(value.Prefix));
            return _previous.AsSpan(0, _length);
        }
    }

    /// <summary>Writes fields into a span that is known to be large enough.</summary>
    private ref struct SpanWriter(Span<byte> destination)
    {
        private readonly Span<byte> _destination = destination;

        public int Position { get; private set; }

        public void Byte(byte value) => _destination[Position++] = value;

        public void Int64(long value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(_destination[Position..], value);
            Position += 8;
        }

        public void Double(double value)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(_destination[Position..], value);
            Position += 8;
        }

        public void Varint(ulong value)
        {
            while (value >= 0x80)
            {
                _destination[Position++] = (byte)(value | 0x80);
                value >>= 7;
            }

            _destination[Position++] = (byte)value;
        }

        public void Bytes(scoped ReadOnlySpan<byte> value)
        {
            value.CopyTo(_destination[Position..]);
            Position += value.Length;
        }

        /// <summary>Writes the byte length and the UTF-8 of <paramref name="value"/>.</summary>
        public void String(string value) => String(value, Encoding.UTF8.GetByteCount(value));

        /// <summary>Writes <paramref name="value"/>, whose UTF-8 is <paramref name="length"/> bytes, with its length.</summary>
        public void String(string value, int length)
        {
            Varint((ulong)length);
            Position += Encoding.UTF8.GetBytes(value, _destination[Position..]);
        }
    }

    /// <summary>Reads fields from a span that may end part-way through a record (the caller then reads more and retries).</summary>
    public ref struct SpanReader(ReadOnlySpan<byte> source)
    {
        private readonly ReadOnlySpan<byte> _source = source;

        public int Position { get; private set; }

        public bool TryByte(out byte value)
        {
            var ok = Position < _source.Length;
            value = ok ? _source[Position++] : default;
            return ok;
        }

        public bool TryInt64(out long value)
        {
            var ok = BinaryPrimitives.TryReadInt64LittleEndian(_source[Position..], out value);
            Position += ok ? 8 : 0;
            return ok;
        }

        public bool TryDouble(out double value)
        {
            var ok = BinaryPrimitives.TryReadDoubleLittleEndian(_source[Position..], out value);
            Position += ok ? 8 : 0;
            return ok;
        }

        public bool TryVarint(out ulong value)
        {
            // Most varints here are one byte (table indexes, small deltas): that case first.
            if (Position < _source.Length && _source[Position] < 0x80)
            {
                value = _source[Position++];
                return true;
            }

            value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                if (!TryByte(out var b))
                {
                    return false;
                }

                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return true;
                }
            }

            throw new InvalidDataException("The partition is corrupt: a number runs over 10 bytes.");
        }

        public bool TryBytes(int length, out ReadOnlySpan<byte> bytes)
        {
            var ok = _source.Length - Position >= length;
            bytes = ok ? _source.Slice(Position, length) : default;
            Position += ok ? length : 0;
            return ok;
        }

        public bool TryString(out ReadOnlySpan<byte> utf8)
        {
            utf8 = default;
            if (!TryVarint(out var length))
            {
                return false;
            }

            if (length > MaxStringBytes)
            {
                throw new InvalidDataException($"The partition is corrupt: a string of {length} bytes.");
            }

            return TryBytes((int)length, out utf8);
        }
    }
}

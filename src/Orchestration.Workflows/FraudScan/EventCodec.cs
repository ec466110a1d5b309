using System.Buffers.Binary;
using System.Text;

namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// The partition blob format: compact, fast to write and read, and self-checking. A header (<c>FSEP</c> + a version
/// byte) so a wrong blob is refused up front; then records, each a tag byte and its fields; then an end record with the
/// counts, so a blob cut short — even between two records — is refused rather than scanned as if complete.
/// Integers are LEB128 varints (quantity zigzag-encoded), the timestamp an int64 and prices doubles (little-endian),
/// strings a varint byte length and UTF-8.
/// </summary>
internal static class EventCodec
{
    public const byte Version = 1;
    public const int HeaderLength = 5;

    /// <summary>Tag, up to two 10-byte varints: the most an end record takes.</summary>
    public const int MaxEndLength = 21;

    /// <summary>Longer strings are taken for corruption, not data (a line is at most 64 KiB).</summary>
    private const int MaxStringBytes = 16 * 1024 * 1024;

    /// <summary>Tag, timestamp, flags, price, quantity: the fixed part of an event record (the varint at its longest).</summary>
    private const int EventFixedLength = 1 + 8 + 1 + 8 + 10;

    /// <summary>Tag, timestamp, materiality.</summary>
    private const int NewsFixedLength = 1 + 8 + 8;

    /// <summary>A string's length prefix at its longest (5 bytes covers int.MaxValue).</summary>
    private const int MaxLengthPrefix = 5;

    public static ReadOnlySpan<byte> Magic => "FSEP"u8;

    public enum Tag : byte
    {
        Event = 1,
        News = 2,
        End = 0xFF,
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

    public static int MaxLength(in MarketEvent e) =>
        EventFixedLength + MaxStringLength(e.EventId) + MaxStringLength(e.OrderId) + MaxStringLength(e.Account)
        + MaxStringLength(e.Owner) + MaxStringLength(e.Firm) + MaxStringLength(e.Trader) + MaxStringLength(e.Symbol)
        + MaxStringLength(e.Venue) + MaxStringLength(e.ExecId);

    public static int MaxLength(in NewsEvent news) => NewsFixedLength + MaxStringLength(news.Symbol) + MaxStringLength(news.Headline);

    /// <summary>Writes <paramref name="e"/>; <paramref name="destination"/> holds at least <see cref="MaxLength(in MarketEvent)"/> bytes.</summary>
    public static int Write(in MarketEvent e, Span<byte> destination)
    {
        var writer = new SpanWriter(destination);
        writer.Byte((byte)Tag.Event);
        writer.Int64(e.Timestamp);
        writer.Byte((byte)((int)e.Type | ((int)e.Side << 2) | ((int)e.Capacity << 3)));
        writer.Double(e.Price);
        writer.Varint(ZigZag(e.Quantity));
        writer.String(e.EventId);
        writer.String(e.OrderId);
        writer.String(e.Account);
        writer.String(e.Owner);
        writer.String(e.Firm);
        writer.String(e.Trader);
        writer.String(e.Symbol);
        writer.String(e.Venue);
        writer.String(e.ExecId);
        return writer.Position;
    }

    public static int Write(in NewsEvent news, Span<byte> destination)
    {
        var writer = new SpanWriter(destination);
        writer.Byte((byte)Tag.News);
        writer.Int64(news.Timestamp);
        writer.Double(news.Materiality);
        writer.String(news.Symbol);
        writer.String(news.Headline);
        return writer.Position;
    }

    public static int WriteEnd(long events, long news, Span<byte> destination)
    {
        var writer = new SpanWriter(destination);
        writer.Byte((byte)Tag.End);
        writer.Varint((ulong)events);
        writer.Varint((ulong)news);
        return writer.Position;
    }

    /// <summary>Reads an event record's fields (after its tag); false when <paramref name="reader"/> ends first.</summary>
    public static bool TryReadEvent(ref SpanReader reader, Utf8StringPool pool, out MarketEvent e)
    {
        e = default;
        if (!reader.TryInt64(out var timestamp) || !reader.TryByte(out var flags) || !reader.TryDouble(out var price)
            || !reader.TryVarint(out var quantity)
            || !reader.TryString(out var eventId) || !reader.TryString(out var orderId) || !reader.TryString(out var account)
            || !reader.TryString(out var owner) || !reader.TryString(out var firm) || !reader.TryString(out var trader)
            || !reader.TryString(out var symbol) || !reader.TryString(out var venue) || !reader.TryString(out var execId))
        {
            return false;
        }

        if (flags > 0b1111)
        {
            throw new InvalidDataException($"The partition is corrupt: an event has flags {flags}.");
        }

        e = new MarketEvent(
            timestamp,
            Encoding.UTF8.GetString(eventId),
            (EventType)(flags & 0b11),
            Encoding.UTF8.GetString(orderId),
            pool.Get(account),
            pool.Get(owner),
            pool.Get(firm),
            pool.Get(trader),
            pool.Get(symbol),
            (Side)((flags >> 2) & 1),
            price,
            UnZigZag(quantity),
            pool.Get(venue),
            (Capacity)(flags >> 3),
            Encoding.UTF8.GetString(execId));
        return true;
    }

    public static bool TryReadNews(ref SpanReader reader, Utf8StringPool pool, out NewsEvent news)
    {
        news = default;
        if (!reader.TryInt64(out var timestamp) || !reader.TryDouble(out var materiality)
            || !reader.TryString(out var symbol) || !reader.TryString(out var headline))
        {
            return false;
        }

        news = new NewsEvent(pool.Get(symbol), timestamp, Encoding.UTF8.GetString(headline), materiality);
        return true;
    }

    public static bool TryReadEnd(ref SpanReader reader, out long events, out long news)
    {
        var complete = reader.TryVarint(out var eventCount) & reader.TryVarint(out var newsCount);
        events = (long)eventCount;
        news = (long)newsCount;
        return complete;
    }

    private static int MaxStringLength(string value) => MaxLengthPrefix + Encoding.UTF8.GetMaxByteCount(value.Length);

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    private static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

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

        public void String(string value)
        {
            Varint((ulong)Encoding.UTF8.GetByteCount(value));
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

            if (_source.Length - Position < (int)length)
            {
                return false;
            }

            utf8 = _source.Slice(Position, (int)length);
            Position += (int)length;
            return true;
        }
    }
}

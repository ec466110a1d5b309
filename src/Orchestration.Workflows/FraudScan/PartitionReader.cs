namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// Reads a partition written by <see cref="PartitionWriter"/> back into events and news items, streaming, with one
/// string instance per distinct repeated value (symbol, account, owner, firm, trader, venue: the format's string tables).
/// A blob that is not a partition, is in another format version, is corrupt or was cut short throws
/// <see cref="InvalidDataException"/> saying which.
/// </summary>
public sealed class PartitionReader
{
    private const int BufferBytes = 64 * 1024;

    private readonly Stream _source;
    private readonly IEventSink _sink;
    private readonly EventCodec.PartitionDecoder _decoder = new();
    private readonly EventRecordStrings _strings = new();
    private byte[] _buffer = new byte[BufferBytes];
    private int _start;
    private int _end;
    private bool _endOfStream;
    private long _events;
    private long _news;

    private PartitionReader(Stream source, IEventSink sink)
    {
        _source = source;
        _sink = sink;
    }

    /// <summary>Reads <paramref name="partition"/> to its end record, handing each item to <paramref name="sink"/> in written order.</summary>
    /// <param name="partition">The partition's bytes; not disposed.</param>
    /// <returns>What the partition held.</returns>
    public static PartitionCounts Read(Stream partition, IEventSink sink)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(sink);
        return new PartitionReader(partition, sink).ReadAll();
    }

    private PartitionCounts ReadAll()
    {
        while (_end < EventCodec.HeaderLength && Fill())
        {
        }

        EventCodec.CheckHeader(_buffer.AsSpan(0, _end));
        _start = EventCodec.HeaderLength;
        while (!ReadBufferedRecords())
        {
            if (!Fill())
            {
                throw new InvalidDataException($"The partition is cut short: it ends after {_events} events and {_news} news items, without its end record.");
            }
        }

        if (_start < _end || Fill())
        {
            throw new InvalidDataException("The partition is corrupt: there are bytes after its end record.");
        }

        return new PartitionCounts(_events, _news);
    }

    /// <summary>Hands out every whole record in the buffer; true once the end record is read.</summary>
    private bool ReadBufferedRecords()
    {
        var reader = new EventCodec.SpanReader(_buffer.AsSpan(_start, _end - _start));
        var ended = false;
        var complete = 0;
        while (!ended && TryReadRecord(ref reader, out ended))
        {
            complete = reader.Position;
        }

        _start += complete;
        return ended;
    }

    /// <summary>Reads one record; false when the buffer ends part-way through it.</summary>
    private bool TryReadRecord(ref EventCodec.SpanReader reader, out bool ended)
    {
        ended = false;
        if (!reader.TryByte(out var tag))
        {
            return false;
        }

        if (EventCodec.IsEvent(tag))
        {
            if (!_decoder.TryReadEvent(tag, ref reader, out var record))
            {
                return false;
            }

            _events++;
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

        switch ((EventCodec.Tag)tag)
        {
            case EventCodec.Tag.News when _decoder.TryReadNews(ref reader, out var news):
                _news++;
                _sink.OnNews(in news);
                return true;
            case EventCodec.Tag.End when EventCodec.TryReadEnd(ref reader, out var events, out var newsItems):
                if (events != _events || newsItems != _news)
                {
                    throw new InvalidDataException($"The partition is corrupt: its end record counts {events} events and {newsItems} news items, but it holds {_events} and {_news}.");
                }

                ended = true;
                return true;
            case EventCodec.Tag.News or EventCodec.Tag.End:
                return false;
            default:
                throw new InvalidDataException($"The partition is corrupt: unknown record tag {tag} after {_events + _news} records.");
        }
    }

    /// <summary>Keeps the unread bytes, reads more after them (growing the buffer for a record longer than it); false at the end of the stream.</summary>
    private bool Fill()
    {
        if (_endOfStream)
        {
            return false;
        }

        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        else if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var read = _source.Read(_buffer, _end, _buffer.Length - _end);
        _end += read;
        _endOfStream = read == 0;
        return !_endOfStream;
    }
}

/// <summary>What a partition held.</summary>
public readonly record struct PartitionCounts(long Events, long News);

namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// Writes events and news items into <c>P</c> partitions by symbol (<see cref="Partitioning.Of"/>), so a whole symbol
/// always lands in one partition, in the <see cref="EventCodec"/> format. Each partition buffers its writes and opens its
/// stream only when it first has bytes to write, so a partition without events creates no blob. Memory: one 64 KiB
/// buffer per partition written to, and the format's string tables, bounded across all partitions by
/// <see cref="TableEntries"/>. Hand it to <see cref="EventFileReader.Read"/> (several files in turn if need be), then
/// call <see cref="Complete"/>.
/// </summary>
public sealed class PartitionWriter : IEventRecordSink, IDisposable
{
    /// <summary>
    /// String-table entries of all partitions together; past it, new values are written inline. The generated
    /// 2-million-event day takes 160,000 over 8 partitions and 625,000 over 36. About 60 bytes an entry (its slot, an
    /// account's party): at most about 60 MB, plus the strings the tables keep, mostly the ones the parser interned anyway.
    /// </summary>
    internal const int TableEntries = 1 << 20;

    private const int BufferBytes = 64 * 1024;

    private readonly Func<int, Stream> _open;
    private readonly Partition?[] _partitions;
    private readonly EventCodec.TableBudget _budget;
    private bool _completed;
    private byte[] _scratch = new byte[256];

    /// <param name="partitions">How many partitions (≥ 1): the same count must be used to find a symbol's partition.</param>
    /// <param name="open">Opens partition <c>p</c>'s output (a blob's write stream, a file); called at most once per partition, and only for partitions that get data. The writer disposes the streams.</param>
    public PartitionWriter(int partitions, Func<int, Stream> open)
        : this(partitions, open, TableEntries)
    {
    }

    /// <param name="tableEntries">String-table entries the partitions may take together (tests lower it).</param>
    internal PartitionWriter(int partitions, Func<int, Stream> open, int tableEntries)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ArgumentNullException.ThrowIfNull(open);
        ArgumentOutOfRangeException.ThrowIfNegative(tableEntries);
        _partitions = new Partition?[partitions];
        _open = open;
        _budget = new EventCodec.TableBudget(tableEntries);
    }

    public void OnEvent(in MarketEvent marketEvent)
    {
        var record = EventRecord.From(in marketEvent, ref _scratch);
        OnEvent(in record);
    }

    public void OnEvent(in EventRecord record)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        var partition = At(Partitioning.Of(record.Symbol, _partitions.Length));
        var length = partition.Encoder.Write(in record, partition.Reserve(EventCodec.MaxLength(in record)));
        partition.Advance(length, events: 1, news: 0);
    }

    public void OnNews(in NewsEvent news)
    {
        var partition = For(news.Symbol);
        var length = partition.Encoder.Write(in news, partition.Reserve(EventCodec.MaxLength(in news)));
        partition.Advance(length, events: 0, news: 1);
    }

    /// <summary>
    /// Ends every partition written to (its end record makes it readable), flushes and closes its stream. Without this,
    /// a partition has no end record and <see cref="PartitionReader"/> refuses it as cut short.
    /// </summary>
    /// <returns>The partitions that were written, by number.</returns>
    public IReadOnlyList<PartitionSummary> Complete()
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        _completed = true;
        var written = new List<PartitionSummary>();
        for (var p = 0; p < _partitions.Length; p++)
        {
            if (_partitions[p] is { } partition)
            {
                written.Add(partition.Complete(p));
            }
        }

        return written;
    }

    /// <summary>
    /// Closes the streams opened so far without ending them (a write abandoned on an error stays unreadable); streams that
    /// store only when flushed (<see cref="Storage.StagedBlockStream"/>) then store nothing at all.
    /// </summary>
    public void Dispose()
    {
        _completed = true;
        foreach (var partition in _partitions)
        {
            partition?.Dispose();
        }
    }

    private Partition For(string symbol)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        return At(Partitioning.Of(symbol, _partitions.Length));
    }

    private Partition At(int p) => _partitions[p] ??= new Partition(() => _open(p), _budget);

    /// <summary>One partition's buffer, stream (opened on the first flush), encoder state and counts.</summary>
    private sealed class Partition(Func<Stream> open, EventCodec.TableBudget budget) : IDisposable
    {
        private byte[] _buffer = NewBuffer();
        private int _used = EventCodec.HeaderLength;
        private Stream? _stream;
        private long _events;
        private long _news;
        private long _flushed;

        /// <summary>The records are written relative to the partition's earlier ones, so each partition has its own.</summary>
        public EventCodec.PartitionEncoder Encoder { get; } = new(budget);

        public Span<byte> Reserve(int length)
        {
            if (_buffer.Length - _used < length)
            {
                Flush();
            }

            if (_buffer.Length < length)
            {
                _buffer = new byte[length];
            }

            return _buffer.AsSpan(_used);
        }

        public void Advance(int length, int events, int news)
        {
            _used += length;
            _events += events;
            _news += news;
        }

        public PartitionSummary Complete(int number)
        {
            _used += EventCodec.WriteEnd(_events, _news, Reserve(EventCodec.MaxEndLength));
            Flush();
            _stream!.Flush();
            Dispose();
            return new PartitionSummary(number, _events, _news, _flushed);
        }

        public void Dispose() => _stream?.Dispose();

        private static byte[] NewBuffer()
        {
            var buffer = new byte[BufferBytes];
            EventCodec.WriteHeader(buffer);
            return buffer;
        }

        private void Flush()
        {
            _stream ??= open();
            _stream.Write(_buffer, 0, _used);
            _flushed += _used;
            _used = 0;
        }
    }
}

/// <summary>A partition that was written: its number, what it holds and its size in bytes.</summary>
public readonly record struct PartitionSummary(int Partition, long Events, long News, long Bytes);

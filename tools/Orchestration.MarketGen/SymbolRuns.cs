using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;
using Orchestration.Workflows.FraudScan;

namespace Orchestration.MarketGen;

/// <summary>
/// Each symbol's day as a run of formatted lines in one temporary file (per line: its timestamp in ticks, its length,
/// its bytes), each run in time order; then merged by (timestamp, symbol, position in the symbol's day) into one stream:
/// the order <see cref="RealisticMarket"/>'s in-memory merge gives. Memory: one symbol's day while it is made, then a
/// small buffer per run while merging. The file is deleted on dispose.
/// </summary>
internal sealed class SymbolRuns : IDisposable
{
    const int RecordHeader = sizeof(long) + sizeof(int);

    readonly string _path;
    readonly FileStream _file;
    readonly EventLines _lines;
    readonly List<(long Start, long End)> _runs = [];
    readonly byte[] _header = new byte[RecordHeader];

    public SymbolRuns(string directory, OutputFormat format)
    {
        _path = Path.Combine(directory, $".symbol-runs-{Guid.NewGuid():N}.tmp");
        _file = new FileStream(_path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        _lines = new EventLines(format);
    }

    /// <summary>Adds the next symbol's day (events in the order made; stably sorted by time here if they are not in time order).</summary>
    public void Add(List<MarketEvent> events)
    {
        long start = _file.Position;
        foreach (int i in TimeOrder(events))
        {
            MarketEvent e = events[i];
            ReadOnlySpan<byte> line = _lines.Format(e);
            BinaryPrimitives.WriteInt64LittleEndian(_header, e.Timestamp);
            BinaryPrimitives.WriteInt32LittleEndian(_header.AsSpan(sizeof(long)), line.Length);
            _file.Write(_header);
            _file.Write(line);
        }

        _runs.Add((start, _file.Position));
    }

    /// <summary>Writes every symbol's lines, merged in time order (ties: symbol order, then each symbol's own order); returns how many.</summary>
    public long MergeInto(Stream output)
    {
        _file.Flush();
        SafeFileHandle handle = _file.SafeFileHandle;
        int bufferSize = Math.Clamp((32 << 20) / Math.Max(1, _runs.Count), 4096, 1 << 16);
        var heads = new PriorityQueue<RunReader, (long Time, int Symbol)>();
        for (int s = 0; s < _runs.Count; s++)
        {
            var reader = new RunReader(handle, _runs[s].Start, _runs[s].End, s, bufferSize);
            if (reader.Next())
            {
                heads.Enqueue(reader, (reader.Time, s));
            }
        }

        long count = 0;
        while (heads.TryDequeue(out RunReader? reader, out _))
        {
            output.Write(reader.Line);
            count++;
            if (reader.Next())
            {
                heads.Enqueue(reader, (reader.Time, reader.Symbol));
            }
        }

        return count;
    }

    public void Dispose()
    {
        _file.Dispose();
        if (File.Exists(_path))
        {
            File.Delete(_path);
        }
    }

    /// <summary>The events' indices in time order, ties in the order made (the identity when they already are).</summary>
    static IEnumerable<int> TimeOrder(List<MarketEvent> events)
    {
        bool sorted = true;
        for (int i = 1; i < events.Count && sorted; i++)
        {
            sorted = events[i - 1].Timestamp <= events[i].Timestamp;
        }

        if (sorted)
        {
            return Enumerable.Range(0, events.Count);
        }

        int[] order = [.. Enumerable.Range(0, events.Count)];
        Array.Sort(order, (a, b) => events[a].Timestamp != events[b].Timestamp ? events[a].Timestamp.CompareTo(events[b].Timestamp) : a.CompareTo(b));
        return order;
    }

    /// <summary>Reads one symbol's run back, a buffer at a time.</summary>
    sealed class RunReader(SafeFileHandle handle, long start, long end, int symbol, int bufferSize)
    {
        byte[] _buffer = new byte[bufferSize];
        long _offset = start;
        int _position;
        int _length;
        int _lineStart;
        int _lineLength;

        public int Symbol { get; } = symbol;

        public long Time { get; private set; }

        public ReadOnlySpan<byte> Line => _buffer.AsSpan(_lineStart, _lineLength);

        public bool Next()
        {
            if (!Ensure(RecordHeader))
            {
                return false;
            }

            Time = BinaryPrimitives.ReadInt64LittleEndian(_buffer.AsSpan(_position));
            int length = BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(_position + sizeof(long)));
            _position += RecordHeader;
            if (!Ensure(length))
            {
                throw new InvalidDataException("A symbol's run ends inside a line.");
            }

            _lineStart = _position;
            _lineLength = length;
            _position += length;
            return true;
        }

        /// <summary>At least <paramref name="count"/> unread bytes in the buffer; false at the end of the run.</summary>
        bool Ensure(int count)
        {
            if (_length - _position >= count)
            {
                return true;
            }

            int left = _length - _position;
            if (count > _buffer.Length)
            {
                var larger = new byte[Math.Max(count, _buffer.Length * 2)];
                _buffer.AsSpan(_position, left).CopyTo(larger);
                _buffer = larger;
            }
            else
            {
                _buffer.AsSpan(_position, left).CopyTo(_buffer);
            }

            _position = 0;
            _length = left;
            while (_length < count && _offset < end)
            {
                int want = (int)Math.Min(_buffer.Length - _length, end - _offset);
                int read = RandomAccess.Read(handle, _buffer.AsSpan(_length, want), _offset);
                if (read == 0)
                {
                    throw new InvalidDataException("A symbol's run is shorter than written.");
                }

                _offset += read;
                _length += read;
            }

            return _length >= count;
        }
    }
}

using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;
using Orchestration.Workflows.FraudScan;

namespace Orchestration.MarketGen;

/// <summary>
/// Each symbol's day as a run of formatted lines in one temporary file (per line: its timestamp in ticks, its length,
/// its bytes), each run in time order; then merged by (timestamp, symbol, position in the symbol's day) into one stream:
/// the order <see cref="RealisticMarket"/>'s in-memory merge gives. Events are written as they are made; memory holds
/// the symbol being made (its book keeps its own day), and a small buffer per run while merging. The file is deleted on dispose.
/// </summary>
internal sealed class SymbolRuns : IDisposable
{
    const int RecordHeader = sizeof(long) + sizeof(int);

    readonly string _path;
    readonly FileStream _file;
    readonly EventLines _lines;
    readonly List<(long Start, long End)> _runs = [];
    readonly byte[] _header = new byte[RecordHeader];
    long _start;
    bool _inOrder = true;
    long _last = long.MinValue;

    public SymbolRuns(string directory, OutputFormat format)
    {
        _path = Path.Combine(directory, $".symbol-runs-{Guid.NewGuid():N}.tmp");
        _file = new FileStream(_path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        _lines = new EventLines(format);
    }

    /// <summary>Appends an event of the current symbol's day, in the order made.</summary>
    public void Write(MarketEvent e)
    {
        ReadOnlySpan<byte> line = _lines.Format(e);
        BinaryPrimitives.WriteInt64LittleEndian(_header, e.Timestamp);
        BinaryPrimitives.WriteInt32LittleEndian(_header.AsSpan(sizeof(long)), line.Length);
        _file.Write(_header);
        _file.Write(line);
        _inOrder &= e.Timestamp >= _last;
        _last = e.Timestamp;
    }

    /// <summary>Ends the current symbol's run (sorting it stably by time if it was not made in time order); the next event starts the next symbol's.</summary>
    public void EndSymbol()
    {
        long end = _file.Position;
        if (!_inOrder)
        {
            SortRun(_start, end);
        }

        _runs.Add((_start, end));
        _start = end;
        _inOrder = true;
        _last = long.MinValue;
    }

    /// <summary>A run made out of time order, read back and rewritten in time order (ties in the order made): the compact lines in memory, not the events.</summary>
    void SortRun(long start, long end)
    {
        _file.Flush();
        var reader = new RunReader(_file.SafeFileHandle, start, end, 0, 1 << 16);
        var records = new List<(long Time, byte[] Line)>();
        while (reader.Next())
        {
            records.Add((reader.Time, reader.Line.ToArray()));
        }

        int[] order = [.. Enumerable.Range(0, records.Count)];
        Array.Sort(order, (a, b) => records[a].Time != records[b].Time ? records[a].Time.CompareTo(records[b].Time) : a.CompareTo(b));
        _file.Position = start;
        foreach (int i in order)
        {
            BinaryPrimitives.WriteInt64LittleEndian(_header, records[i].Time);
            BinaryPrimitives.WriteInt32LittleEndian(_header.AsSpan(sizeof(long)), records[i].Line.Length);
            _file.Write(_header);
            _file.Write(records[i].Line);
        }
    }

    /// <summary>Writes every symbol's lines, merged in time order (ties: symbol order, then each symbol's own order); returns how many.</summary>
    public long MergeInto(Stream output)
    {
        if (_file.Position != _start)
        {
            throw new InvalidOperationException("The last symbol's run was not ended.");
        }

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

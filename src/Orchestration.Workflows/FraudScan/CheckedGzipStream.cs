using System.Buffers.Binary;
using System.IO.Compression;

namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// Decompresses a gzip file (one member or several concatenated) and refuses one that is cut short: .NET's
/// <see cref="GZipStream"/> ends silently when its input ends inside a member, which would scan a truncated file as
/// if it were the whole day. At the end, the last member's trailer must be the file's last 8 bytes and its length
/// (ISIZE) must match what that member decompressed to; otherwise <see cref="InvalidDataException"/>.
/// </summary>
/// <remarks>
/// The compressed input is read in full fixed-size chunks (whatever sizes the network hands out), so where a damaged
/// stream fails — and so the line a rejection names — is the same on every run. A member's decompressed length is known
/// because the source stops each chunk before any <c>1F 8B 08</c> (a possible member header): when the decompressor
/// asks for the bytes from there on, it has handed out everything before them. Each stretch of input between two such
/// places costs one vectorised search.
/// </remarks>
internal sealed class CheckedGzipStream : ForwardOnlyStream
{
    /// <summary>Header (10), the shortest deflate stream (2) and the trailer (8).</summary>
    private const int MinMemberBytes = 20;

    private readonly GZipStream _gzip;
    private readonly Source _source;
    private long _decompressed;
    private bool _checked;

    /// <param name="compressed">The file, from its first byte; not disposed.</param>
    public CheckedGzipStream(Stream compressed)
    {
        _source = new Source(compressed, this);
        _gzip = new GZipStream(_source, CompressionMode.Decompress);
    }

    public override int Read(Span<byte> buffer)
    {
        int read;
        try
        {
            read = _gzip.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"its compressed data is damaged (the decompressor says: {e.Message})", e);
        }

        _decompressed += read;
        if (read == 0 && !buffer.IsEmpty && !_checked)
        {
            _checked = true;
            if (!_source.EndsWithTrailerOfLastMember(_decompressed))
            {
                throw new InvalidDataException("the file ends before its gzip stream does: it was cut short (upload the whole file again)");
            }
        }

        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gzip.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>The compressed bytes, in full chunks, each stopped before a possible member header.</summary>
    private sealed class Source(Stream inner, CheckedGzipStream owner) : ForwardOnlyStream
    {
        private const int ChunkBytes = 64 * 1024;

        /// <summary>Possible member starts remembered: a real gzip file has a few, random data one per 16 MiB.</summary>
        private const int MaxStarts = 65_536;

        private readonly byte[] _buffer = new byte[ChunkBytes];
        private readonly byte[] _tail = new byte[8];

        /// <summary>Where a member may start (compressed offset) and how much was decompressed before it.</summary>
        private readonly List<(long Offset, long Decompressed)> _starts = [(0, 0)];
        private int _start;
        private int _end;

        /// <summary>Buffer index of the next possible header after <see cref="_start"/> (<see cref="_end"/>: none buffered); -1 until searched.</summary>
        private int _next = -1;
        private bool _endOfInput;
        private long _offset;

        public override int Read(Span<byte> buffer)
        {
            if (buffer.IsEmpty)
            {
                return 0;
            }

            if (_end - _start < 3 && !_endOfInput)
            {
                Refill();
            }

            var pending = _buffer.AsSpan(_start, _end - _start);
            if (pending.IsEmpty)
            {
                return 0;
            }

            ReadOnlySpan<byte> header = [0x1F, 0x8B, 0x08];
            if (pending.StartsWith(header))
            {
                // Asked for the bytes from a possible member header on, so everything before them has been
                // decompressed and handed out: if a member starts here, this is how much came before it.
                RememberStart();
            }

            // Each read stops before the next possible header, searched in all that is buffered whatever the caller
            // asked for; the last 2 bytes are kept back until the input ends, so a header is never handed out in part.
            // One search per stretch of buffered input, not per read: it is kept until the reads reach it.
            if (_next <= _start)
            {
                var found = pending.Length > 1 ? pending[1..].IndexOf(header) : -1;
                _next = found >= 0 ? _start + 1 + found : _end;
            }

            var count = Math.Min(buffer.Length, _next < _end ? _next - _start : _endOfInput ? pending.Length : pending.Length - 2);
            var available = pending[..count];
            available.CopyTo(buffer);
            _start += available.Length;
            _offset += available.Length;
            KeepTail(available);
            return available.Length;
        }

        /// <summary>
        /// A start with nothing decompressed since the previous one adds nothing; a hostile file full of 1F 8B 08 keeps
        /// only the latest starts (a real one further back is then missed, and the file refused rather than half read).
        /// </summary>
        private void RememberStart()
        {
            if (_starts[^1].Decompressed == owner._decompressed)
            {
                return;
            }

            if (_starts.Count == MaxStarts)
            {
                _starts.RemoveRange(0, MaxStarts / 2);
            }

            _starts.Add((_offset, owner._decompressed));
        }

        /// <summary>Whether the last 8 bytes are the trailer of a member that started at a possible header and decompressed to its ISIZE.</summary>
        public bool EndsWithTrailerOfLastMember(long decompressed)
        {
            var size = BinaryPrimitives.ReadUInt32LittleEndian(_tail.AsSpan(4));
            foreach (var (offset, before) in _starts)
            {
                if (_offset - offset >= MinMemberBytes && unchecked((uint)(decompressed - before)) == size)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Keeps what is left (under 3 bytes, so a header cut by the chunk's end is still found) and reads a full chunk after it.</summary>
        private void Refill()
        {
            var left = _end - _start;
            _buffer.AsSpan(_start, left).CopyTo(_buffer);
            var wanted = _buffer.Length - left;
            var read = inner.ReadAtLeast(_buffer.AsSpan(left), wanted, throwOnEndOfStream: false);
            _endOfInput = read < wanted;
            _start = 0;
            _end = left + read;
            _next = -1;
        }

        private void KeepTail(ReadOnlySpan<byte> delivered)
        {
            if (delivered.Length >= _tail.Length)
            {
                delivered[^_tail.Length..].CopyTo(_tail);
                return;
            }

            _tail.AsSpan(delivered.Length).CopyTo(_tail);
            delivered.CopyTo(_tail.AsSpan(_tail.Length - delivered.Length));
        }
    }
}

namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// Splits a byte stream into lines without decoding it: LF or CRLF ends a line, a UTF-8 byte-order mark at the start is
/// skipped, and a line longer than the limit is reported (without its content) and skipped, so memory stays at one
/// buffer whatever the input.
/// </summary>
internal sealed class Utf8LineReader(Stream source, int maxLineBytes)
{
    private const int MinimumBufferBytes = 256 * 1024;

    private readonly byte[] _buffer = new byte[Math.Max(MinimumBufferBytes, 2 * (maxLineBytes + 2))];
    private int _start;
    private int _end;
    private bool _started;
    private bool _endOfStream;
    private bool _skippingLongLine;

    /// <summary>The number of the line last returned (1-based).</summary>
    public long LineNumber { get; private set; }

    /// <summary>Reads the next line, without its line ending. The span is valid until the next call.</summary>
    /// <param name="line">The line; empty when <paramref name="tooLong"/>.</param>
    /// <param name="tooLong">The line had more than the limit's bytes; its content was dropped.</param>
    /// <returns>False at the end of the stream.</returns>
    public bool TryRead(out ReadOnlySpan<byte> line, out bool tooLong)
    {
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            var newline = pending.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                _start += newline + 1;
                return Complete(pending[..newline], out line, out tooLong);
            }

            if (_endOfStream)
            {
                _start = _end;
                if (pending.IsEmpty && !_skippingLongLine)
                {
                    line = default;
                    tooLong = false;
                    return false;
                }

                return Complete(pending, out line, out tooLong);
            }

            if (pending.Length > maxLineBytes)
            {
                // No end in sight: drop what we have and keep dropping up to the next newline.
                _skippingLongLine = true;
                _start = _end;
            }

            Fill();
        }
    }

    private bool Complete(ReadOnlySpan<byte> content, out ReadOnlySpan<byte> line, out bool tooLong)
    {
        LineNumber++;
        if (!content.IsEmpty && content[^1] == (byte)'\r')
        {
            content = content[..^1];
        }

        tooLong = _skippingLongLine || content.Length > maxLineBytes;
        _skippingLongLine = false;
        line = tooLong ? default : content;
        return true;
    }

    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        var read = _started
            ? source.Read(_buffer, _end, _buffer.Length - _end)
            : source.ReadAtLeast(_buffer.AsSpan(_end), 3, throwOnEndOfStream: false);
        _endOfStream = read == 0;
        _end += read;
        if (!_started)
        {
            _started = true;
            _start = _buffer.AsSpan(0, _end).StartsWith("\uFEFF"u8) ? 3 : 0;
        }
    }
}

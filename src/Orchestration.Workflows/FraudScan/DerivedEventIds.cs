using System.Buffers.Text;
using System.Text;

namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// The ids of events that have none in their file: <c>{blob}#{line}</c>, the file's blob name and the event's line
/// number (in the decompressed file; the header is line 1). Stable — the same file gives the same ids on every run —
/// and what alerts cite as evidence. Built in one reused buffer: the name's UTF-8 once, then the line's digits.
/// </summary>
internal sealed class DerivedEventIds
{
    private readonly byte[] _buffer;
    private readonly int _prefixLength;

    /// <param name="blobName">The file's name in its container.</param>
    public DerivedEventIds(string blobName)
    {
        ArgumentNullException.ThrowIfNull(blobName);
        _prefixLength = Encoding.UTF8.GetByteCount(blobName) + 1;
        _buffer = new byte[_prefixLength + 20];
        Encoding.UTF8.GetBytes(blobName, _buffer);
        _buffer[_prefixLength - 1] = (byte)'#';
    }

    /// <summary>The id of the event on <paramref name="line"/>; valid until the next call.</summary>
    public ReadOnlySpan<byte> For(long line)
    {
        Utf8Formatter.TryFormat(line, _buffer.AsSpan(_prefixLength), out var digits);
        return _buffer.AsSpan(0, _prefixLength + digits);
    }
}

namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// Gives back bytes already read from <paramref name="inner"/> before the rest of it: how the first bytes of a
/// non-seekable stream (a blob download, a request body) are sniffed and then read again. Does not dispose
/// <paramref name="inner"/>, which belongs to the caller.
/// </summary>
internal sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream inner) : ForwardOnlyStream
{
    private ReadOnlyMemory<byte> _prefix = prefix;

    public override int Read(Span<byte> buffer)
    {
        if (_prefix.IsEmpty)
        {
            return inner.Read(buffer);
        }

        var count = Math.Min(buffer.Length, _prefix.Length);
        _prefix.Span[..count].CopyTo(buffer);
        _prefix = _prefix[count..];
        return count;
    }
}

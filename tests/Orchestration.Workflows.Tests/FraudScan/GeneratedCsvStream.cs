using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Orchestration.Workflows.FraudScan;

namespace Orchestration.Workflows.Tests.FraudScan;

/// <summary>
/// A CSV events file of <paramref name="events"/> lines made up as it is read, a line at a time: a file of any size
/// without the memory or disk to hold it. 200 symbols, 500 accounts; every fourth event a trade.
/// </summary>
internal sealed class GeneratedCsvStream(long events) : ForwardOnlyStream
{
    private static readonly DateTime Open = new(2026, 11, 25, 14, 30, 0, DateTimeKind.Utc);
    private static readonly string[] Types = ["NEW", "MODIFY", "CANCEL", "TRADE"];

    private readonly byte[] _line = new byte[256];
    private ReadOnlyMemory<byte> _pending = Encoding.UTF8.GetBytes(EventFiles.Header + "\n");
    private long _next;

    /// <summary>Bytes handed out so far.</summary>
    public long Produced { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        var written = 0;
        while (written < buffer.Length && (!_pending.IsEmpty || _next < events))
        {
            if (_pending.IsEmpty)
            {
                _pending = _line.AsMemory(0, Format(_next++));
            }

            var count = Math.Min(_pending.Length, buffer.Length - written);
            _pending.Span[..count].CopyTo(buffer[written..]);
            _pending = _pending[count..];
            written += count;
        }

        Produced += written;
        return written;
    }

    private int Format(long i)
    {
        var time = Open.AddTicks(i * 1_234);
        var type = Types[i % 4];
        var price = 100 + (i % 1000 / 100.0);
        Utf8.TryWrite(
            _line,
            CultureInfo.InvariantCulture,
            $"{time:O},E{i},{type},O{i / 4},ACC{i % 500},,FIRM{i % 20},T{i % 100},SYM{i % 200},{(i % 2 == 0 ? "BUY" : "SELL")},{price},{1 + (i % 900)},XNAS,,{(type == "TRADE" ? $"X{i}" : "")}\n",
            out var written);
        return written;
    }
}

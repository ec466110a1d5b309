using System.Text;

namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// Receives events one at a time, as <see cref="EventFileReader"/> parses them or <see cref="PartitionReader"/> decodes
/// them, so a file of any size streams through without being held in memory. <see cref="PartitionWriter"/> is one.
/// </summary>
/// <remarks>The reader reuses nothing it hands out: an event may be kept as it is.</remarks>
public interface IEventSink
{
    void OnEvent(in MarketEvent marketEvent);

    void OnNews(in NewsEvent news);
}

/// <summary>
/// A sink that takes an event as the bytes it was read from (<see cref="EventRecord"/>): <see cref="EventFileReader"/> and
/// <see cref="PartitionReader"/> hand such a sink records instead of <see cref="MarketEvent"/>s, so no string is made for
/// a value the sink only copies, keys or encodes.
/// </summary>
public interface IEventRecordSink : IEventSink
{
    /// <summary>One event; its texts are the reader's buffers, valid only during the call.</summary>
    void OnEvent(in EventRecord record);
}

/// <summary>
/// One event as read, before any string is made: the texts are UTF-8 in the reader's buffers (slices of the line, or a
/// partition decoder's tables and ids; valid only while the reader hands the record over), the rest parsed and checked
/// as for a <see cref="MarketEvent"/>.
/// </summary>
/// <param name="owner">The account's beneficial owner: the very span of <paramref name="account"/> when the column is empty.</param>
public readonly ref struct EventRecord(
    long timestamp,
    ReadOnlySpan<byte> eventId,
    EventType type,
    ReadOnlySpan<byte> orderId,
    ReadOnlySpan<byte> account,
    ReadOnlySpan<byte> owner,
    ReadOnlySpan<byte> firm,
    ReadOnlySpan<byte> trader,
    ReadOnlySpan<byte> symbol,
    Side side,
    double price,
    long quantity,
    ReadOnlySpan<byte> venue,
    Capacity capacity,
    ReadOnlySpan<byte> execId)
{
    public long Timestamp { get; } = timestamp;

    public ReadOnlySpan<byte> EventId { get; } = eventId;

    public EventType Type { get; } = type;

    public ReadOnlySpan<byte> OrderId { get; } = orderId;

    public ReadOnlySpan<byte> Account { get; } = account;

    public ReadOnlySpan<byte> Owner { get; } = owner;

    public ReadOnlySpan<byte> Firm { get; } = firm;

    public ReadOnlySpan<byte> Trader { get; } = trader;

    public ReadOnlySpan<byte> Symbol { get; } = symbol;

    public Side Side { get; } = side;

    public double Price { get; } = price;

    public long Quantity { get; } = quantity;

    public ReadOnlySpan<byte> Venue { get; } = venue;

    public Capacity Capacity { get; } = capacity;

    public ReadOnlySpan<byte> ExecId { get; } = execId;

    /// <summary>
    /// <paramref name="e"/> as a record, its texts encoded into <paramref name="buffer"/> (grown when too small, reused
    /// from call to call): for a sink of records handed a <see cref="MarketEvent"/>.
    /// </summary>
    public static EventRecord From(in MarketEvent e, ref byte[] buffer)
    {
        var needed = Encoding.UTF8.GetMaxByteCount(
            e.EventId.Length + e.OrderId.Length + e.Account.Length + e.Owner.Length + e.Firm.Length + e.Trader.Length
            + e.Symbol.Length + e.Venue.Length + e.ExecId.Length);
        if (buffer.Length < needed)
        {
            buffer = new byte[Math.Max(needed, buffer.Length * 2)];
        }

        var used = 0;
        var account = Put(e.Account, buffer, ref used);
        return new EventRecord(
            e.Timestamp,
            Put(e.EventId, buffer, ref used),
            e.Type,
            Put(e.OrderId, buffer, ref used),
            account,
            ReferenceEquals(e.Owner, e.Account) ? account : Put(e.Owner, buffer, ref used),
            Put(e.Firm, buffer, ref used),
            Put(e.Trader, buffer, ref used),
            Put(e.Symbol, buffer, ref used),
            e.Side,
            e.Price,
            e.Quantity,
            Put(e.Venue, buffer, ref used),
            e.Capacity,
            Put(e.ExecId, buffer, ref used));

        static ReadOnlySpan<byte> Put(string value, byte[] into, scoped ref int used)
        {
            var start = used;
            used += Encoding.UTF8.GetBytes(value, into.AsSpan(used));
            return into.AsSpan(start, used - start);
        }
    }
}

/// <summary>Keeps everything it is handed, in order: for partitions (which are bounded) and tests, never for a whole input file.</summary>
public sealed class EventCollector : IEventSink
{
    public List<MarketEvent> Events { get; } = [];

    public List<NewsEvent> News { get; } = [];

    public void OnEvent(in MarketEvent marketEvent) => Events.Add(marketEvent);

    public void OnNews(in NewsEvent news) => News.Add(news);
}

using System.Text;

namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// Makes <see cref="MarketEvent"/>s of <see cref="EventRecord"/>s, for a sink that takes strings: the repeated values
/// (symbol, account, owner, firm, trader, venue) interned, one instance per value; the unique ones (event, order and
/// execution ids) allocated. The readers keep one per file.
/// </summary>
internal sealed class EventRecordStrings
{
    private readonly Utf8StringPool _pool = new();

    public MarketEvent ToMarketEvent(in EventRecord e)
    {
        var account = _pool.Get(e.Account);
        return new MarketEvent(
            e.Timestamp,
            Encoding.UTF8.GetString(e.EventId),
            e.Type,
            Encoding.UTF8.GetString(e.OrderId),
            account,
            e.Owner == e.Account ? account : _pool.Get(e.Owner),
            _pool.Get(e.Firm),
            _pool.Get(e.Trader),
            _pool.Get(e.Symbol),
            e.Side,
            e.Price,
            e.Quantity,
            _pool.Get(e.Venue),
            e.Capacity,
            Encoding.UTF8.GetString(e.ExecId));
    }
}

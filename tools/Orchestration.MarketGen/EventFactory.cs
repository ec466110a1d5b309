using System.Globalization;
using Orchestration.Workflows.FraudScan;

namespace Orchestration.MarketGen;

/// <summary>
/// Makes events with fresh ids (<c>E</c>, <c>O</c>, <c>X</c> + a counter) and the trades that pair two orders. Planted cases
/// and the normal flow draw from one sequence of ids, so every id is unique in the day.
/// </summary>
public sealed class EventFactory(Prng random)
{
    static readonly string[] Venues = ["XNAS", "XNYS", "BATS", "ARCX", "EDGX"];

    long _events;
    long _orders;
    long _executions;

    /// <summary>Ticks between the two sides of a trade and the order that caused it: a microsecond.</summary>
    public const long Microsecond = 10;

    /// <summary>A copy that goes on from the same counters with another random source.</summary>
    public EventFactory Continue(Prng other) => new(other) { _events = _events, _orders = _orders, _executions = _executions };

    public string NewOrderId() => "O" + (++_orders).ToString(CultureInfo.InvariantCulture);

    public MarketEvent Make(long time, EventType type, string orderId, Account account, Instrument instrument, Side side, double price, long quantity, string venue, string execId = "") =>
        new(
            time,
            "E" + (++_events).ToString("D9", CultureInfo.InvariantCulture),
            type,
            orderId,
            account.Id,
            account.Owner,
            account.Firm,
            account.Trader,
            instrument.Ticker,
            side,
            type == EventType.Cancel ? 0 : Instrument.Round(price),
            quantity,
            venue,
            account.Capacity,
            execId);

    public string PickVenue() => random.Pick(Venues);

    /// <summary>
    /// A passive order of <paramref name="passive"/> resting since <paramref name="restingSince"/>, taken at
    /// <paramref name="time"/> by a new order of <paramref name="aggressor"/>: four events (two NEWs, two TRADEs sharing an execId).
    /// </summary>
    public Fill Trade(long time, long restingSince, Account aggressor, Account passive, Instrument instrument, Side aggressorSide, double price, long quantity, long passiveQuantity)
    {
        string venue = PickVenue();
        Side passiveSide = aggressorSide == Side.Buy ? Side.Sell : Side.Buy;
        string passiveOrder = NewOrderId();
        string aggressorOrder = NewOrderId();
        string execId = "X" + (++_executions).ToString(CultureInfo.InvariantCulture);
        MarketEvent restingNew = Make(restingSince, EventType.New, passiveOrder, passive, instrument, passiveSide, price, passiveQuantity, venue);
        MarketEvent aggressorNew = Make(time, EventType.New, aggressorOrder, aggressor, instrument, aggressorSide, price, quantity, venue);
        MarketEvent aggressorTrade = Make(time + Microsecond, EventType.Trade, aggressorOrder, aggressor, instrument, aggressorSide, price, quantity, venue, execId);
        MarketEvent passiveTrade = Make(time + Microsecond, EventType.Trade, passiveOrder, passive, instrument, passiveSide, price, quantity, venue, execId);
        return new Fill(restingNew, aggressorNew, aggressorTrade, passiveTrade);
    }
}

/// <summary>The four events of one trade; <see cref="AggressorTrade"/> and <see cref="PassiveTrade"/> share the execId.</summary>
public readonly record struct Fill(MarketEvent RestingNew, MarketEvent AggressorNew, MarketEvent AggressorTrade, MarketEvent PassiveTrade)
{
    public IEnumerable<MarketEvent> All => [RestingNew, AggressorNew, AggressorTrade, PassiveTrade];

    public IEnumerable<MarketEvent> Trades => [AggressorTrade, PassiveTrade];
}

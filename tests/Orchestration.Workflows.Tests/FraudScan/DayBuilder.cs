using Orchestration.Workflows.FraudScan;

namespace Orchestration.Workflows.Tests.FraudScan;

/// <summary>
/// Builds one symbol's day by hand for the rule tests: times in seconds after 14:30 UTC, accounts owned by themselves
/// unless told, every event with a fresh id. <see cref="Scan"/> sorts the events like a scan does and runs a rule.
/// </summary>
sealed class DayBuilder
{
    /// <summary>One side of a trade: an account (its own owner unless told), its firm and capacity.</summary>
    public sealed record Party(string Account, string? Owner = null, string Firm = "F1", Capacity Capacity = Capacity.Client)
    {
        public static implicit operator Party(string account) => new(account);
    }

    public const string Symbol = "ACME";

    /// <summary>The session's open: 14:30 UTC on 2026-11-24.</summary>
    public static readonly DateTime Open = new(2026, 11, 24, 14, 30, 0, DateTimeKind.Utc);

    /// <summary>Seconds from the open to the 21:00 UTC close.</summary>
    public const double Close = 6.5 * 3600;

    readonly List<MarketEvent> _events = [];
    readonly List<NewsEvent> _news = [];
    int _ids;

    public static long At(double seconds) => Open.AddSeconds(seconds).Ticks;

    public MarketEvent New(double seconds, string account, Side side, long quantity, double price = 100, string firm = "F1", Capacity capacity = Capacity.Client, string? owner = null) =>
        Add(new MarketEvent(At(seconds), NextId(), EventType.New, "O" + _ids, account, owner ?? account, firm, "T1", Symbol, side, price, quantity, "XNAS", capacity, string.Empty));

    public MarketEvent Cancel(double seconds, MarketEvent order) =>
        Add(order with { Timestamp = At(seconds), EventId = NextId(), Type = EventType.Cancel, Price = 0, Quantity = 0 });

    /// <summary>One execution: the buyer's and the seller's fills, sharing an execId.</summary>
    public (MarketEvent Buy, MarketEvent Sell) Trade(double seconds, Party buyer, Party seller, long quantity, double price = 100)
    {
        string exec = "X" + (_ids + 1);
        return (Add(Fill(buyer, Side.Buy)), Add(Fill(seller, Side.Sell)));

        MarketEvent Fill(Party party, Side side) =>
            new(At(seconds), NextId(), EventType.Trade, "OT" + _ids, party.Account, party.Owner ?? party.Account, party.Firm, "T1", Symbol, side, price, quantity, "XNAS", party.Capacity, exec);
    }

    /// <summary>One execution between two orders placed with <see cref="New"/>: each side's fill carries its order's id, account and limit side.</summary>
    public (MarketEvent Buy, MarketEvent Sell) Execute(double seconds, MarketEvent buyOrder, MarketEvent sellOrder, long quantity, double price)
    {
        string exec = "X" + (_ids + 1);
        return (
            Add(buyOrder with { Timestamp = At(seconds), EventId = NextId(), Type = EventType.Trade, Price = price, Quantity = quantity, ExecId = exec }),
            Add(sellOrder with { Timestamp = At(seconds), EventId = NextId(), Type = EventType.Trade, Price = price, Quantity = quantity, ExecId = exec }));
    }

    /// <summary>A trade of <paramref name="party"/> on <paramref name="side"/> against a counterparty nobody else uses; returns its fill.</summary>
    public MarketEvent Fill(double seconds, Party party, Side side, long quantity, double price = 100)
    {
        var counterparty = new Party("C" + _ids, Firm: "F9");
        (MarketEvent buy, MarketEvent sell) = side == Side.Buy
            ? Trade(seconds, party, counterparty, quantity, price)
            : Trade(seconds, counterparty, party, quantity, price);
        return side == Side.Buy ? buy : sell;
    }

    /// <summary>
    /// An order of <paramref name="party"/> that trades on arrival: its NEW with limit <paramref name="limit"/>, then its fill at
    /// <paramref name="price"/> against a counterparty nobody else uses; returns the fill.
    /// </summary>
    public MarketEvent Take(double seconds, Party party, Side side, long quantity, double limit, double price)
    {
        MarketEvent order = New(seconds, party.Account, side, quantity, limit, party.Firm, party.Capacity, party.Owner);
        return FillResting(seconds, order, quantity, price);
    }

    /// <summary>A fill of <paramref name="order"/> (a NEW made here) against a counterparty nobody else uses; returns the fill.</summary>
    public MarketEvent FillResting(double seconds, MarketEvent order, long quantity, double price)
    {
        string exec = "X" + (_ids + 1);
        MarketEvent fill = Add(order with { Timestamp = At(seconds), EventId = NextId(), Type = EventType.Trade, Price = price, Quantity = quantity, ExecId = exec });
        Side other = order.Side == Side.Buy ? Side.Sell : Side.Buy;
        Add(new MarketEvent(At(seconds), NextId(), EventType.Trade, "OC" + _ids, "C" + _ids, "C" + _ids, "F9", "T1", Symbol, other, price, quantity, "XNAS", Capacity.Client, exec));
        return fill;
    }

    public void News(double seconds, double materiality, string headline = "Takeover approach confirmed") =>
        _news.Add(new NewsEvent(Symbol, At(seconds), headline, materiality));

    public SymbolDay Build() => new(Symbol, [.. _events.OrderBy(e => e.Timestamp)], [.. _news.OrderBy(n => n.Timestamp)]);

    public List<Alert> Scan(ISurveillanceRule rule)
    {
        var alerts = new List<Alert>();
        rule.Scan(Build(), alerts);
        return alerts;
    }

    string NextId() => "E" + ++_ids;

    MarketEvent Add(MarketEvent e)
    {
        _events.Add(e);
        return e;
    }
}

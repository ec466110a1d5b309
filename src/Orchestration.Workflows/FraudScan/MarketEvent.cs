using System.Text.Json.Serialization;

namespace Orchestration.Workflows.FraudScan;

/// <summary>What happened to an order (the <c>type</c> column).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EventType>))]
public enum EventType : byte
{
    /// <summary>A new order rests on the book (<c>NEW</c>).</summary>
    New,

    /// <summary>The order, or what is left of it, is cancelled (<c>CANCEL</c>).</summary>
    Cancel,

    /// <summary>Price or quantity of a resting order changed (<c>MODIFY</c>); price and quantity are the new values.</summary>
    Modify,

    /// <summary>A fill of the order (<c>TRADE</c>): price and quantity are those of the fill.</summary>
    Trade,
}

[JsonConverter(typeof(JsonStringEnumConverter<Side>))]
public enum Side : byte
{
    Buy,
    Sell,
}

/// <summary>Whom the order is for (the <c>capacity</c> column): a client, or the firm's own account.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Capacity>))]
public enum Capacity : byte
{
    /// <summary><c>CLIENT</c> (agency): the firm acts for a client. The default.</summary>
    Client,

    /// <summary><c>PRINCIPAL</c> (proprietary): the firm trades for its own account.</summary>
    Principal,
}

/// <summary>
/// One order or trade event. The input columns, in any order (CSV header / JSON-lines property names, case-insensitive):
/// <c>timestamp, eventId, type, orderId, account, owner, firm, trader, symbol, side, price, quantity, venue, capacity, execId</c>;
/// see <c>workflows/fraud-scan/README.md</c> for which are required.
/// </summary>
/// <param name="Timestamp">UTC ticks (100 ns) of the event; input is ISO-8601 with up to 7 fractional digits.</param>
/// <param name="EventId">Unique id of the event in its feed: the evidence alerts cite.</param>
/// <param name="OrderId">The order the event belongs to.</param>
/// <param name="Account">The trading account.</param>
/// <param name="Owner">The account's beneficial owner (the account itself when the column is empty).</param>
/// <param name="Firm">The member firm that sent the order.</param>
/// <param name="Trader">The trader or desk (may be empty).</param>
/// <param name="Price">Limit price (NEW, MODIFY) or fill price (TRADE); 0 for a CANCEL.</param>
/// <param name="Quantity">Order quantity (NEW, MODIFY), fill quantity (TRADE), cancelled quantity (CANCEL, may be 0 = all).</param>
/// <param name="ExecId">For a TRADE, the execution id both sides of the same trade share (may be empty).</param>
public readonly record struct MarketEvent(
    long Timestamp,
    string EventId,
    EventType Type,
    string OrderId,
    string Account,
    string Owner,
    string Firm,
    string Trader,
    string Symbol,
    Side Side,
    double Price,
    long Quantity,
    string Venue,
    Capacity Capacity,
    string ExecId)
{
    public DateTime Time => new(Timestamp, DateTimeKind.Utc);
}

/// <summary>
/// One item of the news / corporate-event feed (columns <c>symbol, timestamp, headline, materiality</c>): what the
/// trading-ahead-of-news rule looks back from.
/// </summary>
/// <param name="Materiality">0 (noise) to 1 (moves the price; a file's low, medium, high are read as 0.3, 0.6, 0.9); the rule considers items at or above its threshold.</param>
public readonly record struct NewsEvent(string Symbol, long Timestamp, string Headline, double Materiality)
{
    public DateTime Time => new(Timestamp, DateTimeKind.Utc);
}

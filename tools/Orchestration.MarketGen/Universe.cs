using Orchestration.Workflows.FraudScan;

namespace Orchestration.MarketGen;

/// <summary>A trading account: who owns it, which firm sends its orders, and whether it is the firm's own (principal).</summary>
public sealed record Account(string Id, string Owner, string Firm, string Trader, Capacity Capacity);

/// <summary>The session every generated day trades in.</summary>
public static class Universe
{
    /// <summary>Regular session, UTC: 09:30–16:00 New York in winter.</summary>
    public static readonly TimeSpan Open = new(14, 30, 0);

    public static readonly TimeSpan Close = new(21, 0, 0);

    public const int SessionMinutes = 390;
}

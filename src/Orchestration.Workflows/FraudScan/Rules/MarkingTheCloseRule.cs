using System.Runtime.InteropServices;

namespace Orchestration.Workflows.FraudScan.Rules;

/// <summary>Parameters of <see cref="MarkingTheCloseRule"/> (<c>rules.marking-the-close</c>).</summary>
public sealed record MarkingTheCloseSettings : SurveillanceRuleSettings
{
    /// <summary>The closing time, UTC, on the day of the events (<c>"21:00:00"</c>: 16:00 New York in winter).</summary>
    public TimeOnly CloseTimeUtc { get; init; } = new(21, 0);

    /// <summary>The closing period: this many minutes up to the close.</summary>
    public double LastMinutes { get; init; } = 10;

    /// <summary>The account's aggressive quantity as a share of the period's volume.</summary>
    public double MinShareOfVolume { get; init; } = 0.25;

    /// <summary>Relative price move, in the account's direction, from the period's start to its last trade.</summary>
    public double MinPriceMove { get; init; } = 0.005;
}

/// <summary>
/// <c>marking-the-close</c>: pushing the closing price with aggressive trades in the last minutes. In the
/// <see cref="MarkingTheCloseSettings.LastMinutes"/> before <see cref="MarkingTheCloseSettings.CloseTimeUtc"/> (each UTC day
/// of the events), an account's aggressive trades — buys at or above the previous execution's price, sells at or below it —
/// make up at least <see cref="MarkingTheCloseSettings.MinShareOfVolume"/> of the period's volume (each execution counted once,
/// by its buy side), and the price moved at least <see cref="MarkingTheCloseSettings.MinPriceMove"/> in their direction from
/// the last trade before the period to the period's last trade. One alert per account, direction and day. Evidence: those trades.
/// Score: 50 + 25 × how far the share is from the threshold to 100 % + 25 × min(1, move ÷ (3 × the threshold)).
/// Touches only the closing period (found by binary search): per account, a dictionary entry of its aggressive trades.
/// </summary>
public sealed class MarkingTheCloseRule(MarkingTheCloseSettings settings) : ISurveillanceRule
{
    public const string RuleName = "marking-the-close";

    public string Name => RuleName;

    public void Scan(SymbolDay day, ICollection<Alert> alerts)
    {
        ArgumentNullException.ThrowIfNull(day);
        ArgumentNullException.ThrowIfNull(alerts);

        ReadOnlySpan<DayEvent> events = day.Events;
        int i = 0;
        while (i < events.Length)
        {
            DateTime date = events[i].Time.Date;
            long close = date.Add(settings.CloseTimeUtc.ToTimeSpan()).Ticks;
            ScanPeriod(day, events, close - DayMath.Ticks(settings.LastMinutes * 60), close, alerts);
            i = DayMath.FirstAtOrAfter(events, date.AddDays(1).Ticks);
        }
    }

    void ScanPeriod(SymbolDay day, ReadOnlySpan<DayEvent> events, long start, long close, ICollection<Alert> alerts)
    {
        int first = DayMath.FirstAtOrAfter(events, start);
        double reference = LastTradePriceBefore(events, first);
        double previous = reference;
        double current = double.NaN;
        int execution = -1; // the execution the current price is from (−1: a trade without an execution id, or none yet)
        long volume = 0;
        var accounts = new Dictionary<int, Aggression>();
        for (int i = first; i < events.Length && events[i].Timestamp <= close; i++)
        {
            ref readonly DayEvent trade = ref events[i];
            if (trade.Type != EventType.Trade)
            {
                continue;
            }

            if (trade.Exec < 0 || trade.Exec != execution)
            {
                previous = double.IsNaN(current) ? previous : current;
                current = trade.Price;
                execution = trade.Exec;
            }

            if (double.IsNaN(reference))
            {
                reference = previous = trade.Price;
            }

            if (trade.Side == Side.Buy)
            {
                volume += trade.Quantity;
            }

            bool aggressive = trade.Side == Side.Buy ? trade.Price >= previous : trade.Price <= previous;
            if (aggressive)
            {
                ref Aggression? account = ref CollectionsMarshal.GetValueRefOrAddDefault(accounts, trade.Account, out _);
                (account ??= new Aggression()).Add(trade.Side, trade.Quantity, i);
            }
        }

        if (volume == 0 || double.IsNaN(current))
        {
            return;
        }

        double move = (current - reference) / reference;
        foreach ((int account, Aggression aggression) in accounts)
        {
            Report(day, events, account, Side.Buy, aggression.Buys, move, volume, alerts);
            Report(day, events, account, Side.Sell, aggression.Sells, -move, volume, alerts);
        }
    }

    void Report(SymbolDay day, ReadOnlySpan<DayEvent> events, int account, Side side, Trades trades, double move, long volume, ICollection<Alert> alerts)
    {
        double share = trades.Quantity / (double)volume;
        if (trades.Evidence.Count == 0 || share < settings.MinShareOfVolume || move < settings.MinPriceMove)
        {
            return;
        }

        double score = 50 + (25 * DayMath.Progress(share, settings.MinShareOfVolume, 1)) + (25 * Math.Min(1, move / (3 * settings.MinPriceMove)));
        alerts.Add(trades.Evidence.ToAlert(
            RuleName,
            day,
            events,
            score,
            AlertEvidence.Say($"Account {day.Name(account)}'s aggressive {side}s were {share:P0} of the closing period's volume while the price moved {move:P2} their way.")));
    }

    static double LastTradePriceBefore(ReadOnlySpan<DayEvent> events, int index)
    {
        for (int i = index - 1; i >= 0; i--)
        {
            if (events[i].Type == EventType.Trade)
            {
                return events[i].Price;
            }
        }

        return double.NaN;
    }

    sealed class Trades
    {
        public AlertEvidence Evidence { get; } = new();

        public long Quantity { get; set; }
    }

    /// <summary>An account's aggressive trades in the period, by direction.</summary>
    sealed class Aggression
    {
        public Trades Buys { get; } = new();

        public Trades Sells { get; } = new();

        public void Add(Side side, long quantity, int index)
        {
            Trades trades = side == Side.Buy ? Buys : Sells;
            trades.Quantity += quantity;
            trades.Evidence.Add(index);
        }
    }
}

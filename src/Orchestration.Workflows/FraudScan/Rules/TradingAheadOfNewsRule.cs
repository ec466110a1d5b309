using System.Runtime.InteropServices;

namespace Orchestration.Workflows.FraudScan.Rules;

/// <summary>Parameters of <see cref="TradingAheadOfNewsRule"/> (<c>rules.trading-ahead-of-news</c>).</summary>
public sealed record TradingAheadOfNewsSettings : SurveillanceRuleSettings
{
    /// <summary>News items at or above this materiality (0–1) are looked back from.</summary>
    public double MinMateriality { get; init; } = 0.7;

    /// <summary>The window before the news in which a position is measured; the baseline uses windows of the same length.</summary>
    public double LookbackMinutes { get; init; } = 30;

    /// <summary>The position change must be this many times the account's median change per window earlier in the day.</summary>
    public double MinPositionMultiple { get; init; } = 5;

    /// <summary>And at least this quantity (net, in either direction).</summary>
    public long MinQuantity { get; init; } = 10_000;
}

/// <summary>
/// <c>trading-ahead-of-news</c>: building a position just before material news becomes public. For each news item with
/// materiality ≥ <see cref="TradingAheadOfNewsSettings.MinMateriality"/>, an account's net position change (bought − sold) in
/// the <see cref="TradingAheadOfNewsSettings.LookbackMinutes"/> before it is flagged when its size is at least
/// <see cref="TradingAheadOfNewsSettings.MinQuantity"/> and at least <see cref="TradingAheadOfNewsSettings.MinPositionMultiple"/> ×
/// the median size of the account's net change over the equal windows before that, back to the day's first event (silent
/// windows count as 0). Either direction is flagged: the feed does not say which way news moves the price. An account
/// flagged for one news item is not flagged again for a later item whose window overlaps. Evidence: the account's trades
/// in the window, in the direction of the change. Score: 50 + 30 × min(1, size ÷ (3 × the minimum)) + 20 × materiality.
/// Cost: one pass over the events before each material item (few per symbol and day); nothing for symbols without one.
/// </summary>
public sealed class TradingAheadOfNewsRule(TradingAheadOfNewsSettings settings) : ISurveillanceRule
{
    public const string RuleName = "trading-ahead-of-news";

    public string Name => RuleName;

    public void Scan(SymbolDay day, ICollection<Alert> alerts)
    {
        ArgumentNullException.ThrowIfNull(day);
        ArgumentNullException.ThrowIfNull(alerts);

        ReadOnlySpan<DayEvent> events = day.Events;
        long lookback = DayMath.Ticks(settings.LookbackMinutes * 60);
        var flaggedUntil = new Dictionary<int, long>();
        foreach (NewsEvent news in day.News)
        {
            if (news.Materiality >= settings.MinMateriality && events.Length > 0)
            {
                ScanBefore(day, events, news, lookback, flaggedUntil, alerts);
            }
        }
    }

    void ScanBefore(SymbolDay day, ReadOnlySpan<DayEvent> events, NewsEvent news, long lookback, Dictionary<int, long> flaggedUntil, ICollection<Alert> alerts)
    {
        int end = DayMath.FirstAtOrAfter(events, news.Timestamp);
        if (end == 0)
        {
            return;
        }

        // Window k holds the trades (k + 1) × lookback to k × lookback before the news: window 0 is the one that matters.
        int windows = (int)((news.Timestamp - events[0].Timestamp - 1) / lookback) + 1;
        var netByAccount = new Dictionary<int, long[]>();
        for (int i = 0; i < end; i++)
        {
            ref readonly DayEvent trade = ref events[i];
            if (trade.Type == EventType.Trade)
            {
                ref long[]? nets = ref CollectionsMarshal.GetValueRefOrAddDefault(netByAccount, trade.Account, out _);
                nets ??= new long[windows];
                nets[(news.Timestamp - trade.Timestamp - 1) / lookback] += trade.Side == Side.Buy ? trade.Quantity : -trade.Quantity;
            }
        }

        int windowStart = DayMath.FirstAtOrAfter(events, news.Timestamp - lookback);
        foreach ((int account, long[] nets) in netByAccount)
        {
            long net = nets[0];
            if (Math.Abs(net) < settings.MinQuantity
                || Math.Abs(net) < settings.MinPositionMultiple * MedianSize(nets.AsSpan(1))
                || (flaggedUntil.TryGetValue(account, out long until) && until > news.Timestamp - lookback))
            {
                continue;
            }

            flaggedUntil[account] = news.Timestamp;
            Side direction = net > 0 ? Side.Buy : Side.Sell;
            var evidence = new AlertEvidence();
            for (int i = windowStart; i < end; i++)
            {
                ref readonly DayEvent trade = ref events[i];
                if (trade.Type == EventType.Trade && trade.Side == direction && trade.Account == account)
                {
                    evidence.Add(i);
                }
            }

            double score = 50 + (30 * Math.Min(1, Math.Abs(net) / (3.0 * settings.MinQuantity))) + (20 * news.Materiality);
            alerts.Add(evidence.ToAlert(
                RuleName,
                day,
                events,
                score,
                AlertEvidence.Say($"Account {day.Name(account)} built a net {direction} position of {Math.Abs(net):N0} in the {settings.LookbackMinutes:0.#} minutes before \"{news.Headline}\" (materiality {news.Materiality:0.##}).")));
        }
    }

    static double MedianSize(Span<long> nets)
    {
        long[] sizes = new long[nets.Length];
        for (int i = 0; i < nets.Length; i++)
        {
            sizes[i] = Math.Abs(nets[i]);
        }

        return DayMath.Median(sizes);
    }
}

namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// The scan itself, wherever it runs (one partition in an activity, or a whole file in one process): group events and
/// news by symbol, order each symbol's events by time (stable: ties keep their input order), run every rule on every
/// symbol, and rank what they raise (<see cref="AlertRanking"/>). The same events give the same alerts in the same order.
/// </summary>
public static class SymbolScanner
{
    /// <summary>Alerts raised in <paramref name="events"/> (with <paramref name="news"/>), ranked; <paramref name="symbols"/> is how many symbols were scanned.</summary>
    public static IReadOnlyList<Alert> Scan(IEnumerable<MarketEvent> events, IEnumerable<NewsEvent> news, IReadOnlyList<ISurveillanceRule> rules, out int symbols)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(news);
        ArgumentNullException.ThrowIfNull(rules);
        var bySymbol = new Dictionary<string, List<MarketEvent>>(StringComparer.Ordinal);
        foreach (MarketEvent marketEvent in events)
        {
            if (!bySymbol.TryGetValue(marketEvent.Symbol, out List<MarketEvent>? list))
            {
                bySymbol[marketEvent.Symbol] = list = [];
            }

            list.Add(marketEvent);
        }

        ILookup<string, NewsEvent> newsBySymbol = news.ToLookup(n => n.Symbol, StringComparer.Ordinal);
        var alerts = new List<Alert>();
        foreach ((string symbol, List<MarketEvent> list) in bySymbol.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var day = new SymbolDay(
                symbol,
                list.OrderBy(e => e.Timestamp).ToList(),
                newsBySymbol[symbol].OrderBy(n => n.Timestamp).ToList());
            foreach (ISurveillanceRule rule in rules)
            {
                rule.Scan(day, alerts);
            }
        }

        symbols = bySymbol.Count;
        return AlertRanking.Rank(alerts);
    }
}

/// <summary>
/// How alerts are merged into a report: duplicates (same rule, symbol and evidence — e.g. a case seen from two files of
/// one scan) kept once, then ranked by score (highest first), ties by time, rule, symbol and first event id, so the
/// order never depends on which partition finished first.
/// </summary>
public static class AlertRanking
{
    public static IReadOnlyList<Alert> Rank(IEnumerable<Alert> alerts)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        return alerts
            .DistinctBy(a => (a.Rule, a.Symbol, string.Join('\n', a.EventIds.Order(StringComparer.Ordinal))))
            .OrderByDescending(a => a.Score)
            .ThenBy(a => a.From)
            .ThenBy(a => a.Rule, StringComparer.Ordinal)
            .ThenBy(a => a.Symbol, StringComparer.Ordinal)
            .ThenBy(a => a.EventIds.FirstOrDefault(), StringComparer.Ordinal)
            .ToList();
    }
}

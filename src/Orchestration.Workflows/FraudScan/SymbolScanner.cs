using System.Numerics;
using System.Runtime.InteropServices;

namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// The scan itself, wherever it runs (one partition in an activity, or a whole file in one process). As a sink it groups
/// events and news by symbol while they are read — so a day is held once, already split by symbol, never as one list of
/// every event to be grouped afterwards; <see cref="Scan(IReadOnlyList{ISurveillanceRule})"/> then orders each symbol's
/// events by time (stable: ties keep their input order), runs every rule on every symbol, and ranks what they raise
/// (<see cref="AlertRanking"/>). The same events give the same alerts in the same order.
/// </summary>
public sealed class SymbolScanner : IEventSink
{
    private readonly Dictionary<string, SymbolEvents> _symbols = new(StringComparer.Ordinal);
    private readonly HeldStrings _strings = new();
    private SymbolEvents? _last;
    private bool _scanned;

    /// <summary>Events handed to the scanner so far.</summary>
    public long Events { get; private set; }

    /// <summary>Symbols with at least one event: what a scan looks at (news of other symbols is kept but never scanned).</summary>
    public int Symbols { get; private set; }

    public void OnEvent(in MarketEvent marketEvent)
    {
        HeldEvents held = For(marketEvent.Symbol).Events;
        Symbols += held.Count == 0 ? 1 : 0;
        held.Add(in marketEvent, _strings);
        Events++;
    }

    public void OnNews(in NewsEvent news) => For(news.Symbol).News.Add(news);

    /// <summary>
    /// Every rule over every symbol that has events, in symbol order; the alerts ranked. A symbol's events are released
    /// once it is scanned, so this runs once per scanner. Each <see cref="SymbolDay"/> lives for its rules' calls only:
    /// the next symbol's events reuse its array (rules keep nothing between calls, see <see cref="ISurveillanceRule"/>).
    /// </summary>
    public IReadOnlyList<Alert> Scan(IReadOnlyList<ISurveillanceRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (_scanned)
        {
            throw new InvalidOperationException("This scanner has scanned its events already: a scanner scans once.");
        }

        _scanned = true;
        var alerts = new List<Alert>();
        MarketEvent[] day = [];
        foreach ((string symbol, SymbolEvents grouped) in _symbols.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (grouped.Events.Count == 0)
            {
                continue;
            }

            if (day.Length < grouped.Events.Count)
            {
                day = new MarketEvent[(int)BitOperations.RoundUpToPowerOf2((uint)grouped.Events.Count)];
            }

            var symbolDay = new SymbolDay(symbol, grouped.Events.MoveSortedTo(day, symbol, _strings), grouped.SortedNews());
            foreach (ISurveillanceRule rule in rules)
            {
                rule.Scan(symbolDay, alerts);
            }
        }

        _symbols.Clear();
        return AlertRanking.Rank(alerts);
    }

    private SymbolEvents For(string symbol)
    {
        // Interned symbols (the readers pool them) make a repeated symbol a reference compare, not a lookup.
        if (_last is not null && ReferenceEquals(_last.Symbol, symbol))
        {
            return _last;
        }

        ref SymbolEvents? grouped = ref CollectionsMarshal.GetValueRefOrAddDefault(_symbols, symbol, out _);
        return _last = grouped ??= new SymbolEvents(symbol);
    }

    /// <summary>One symbol's events (held, see <see cref="HeldEvents"/>) and news.</summary>
    private sealed class SymbolEvents(string symbol)
    {
        public string Symbol { get; } = symbol;

        public HeldEvents Events { get; } = new();

        public List<NewsEvent> News { get; } = [];

        public List<NewsEvent> SortedNews() => [.. News.OrderBy(n => n.Timestamp)];
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

using System.Numerics;

namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// The scan itself, wherever it runs (one partition in an activity, or a whole file in one process). As a sink it groups
/// events and news by symbol while they are read — so a day is held once, already split by symbol, never as one list of
/// every event to be grouped afterwards; <see cref="Scan(IReadOnlyList{ISurveillanceRule})"/> then orders each symbol's
/// events by time (stable: ties keep their input order), runs every rule on every symbol, and ranks what they raise
/// (<see cref="AlertRanking"/>). The same events give the same alerts in the same order.
/// </summary>
public sealed class SymbolScanner : IEventRecordSink
{
    private readonly Utf8Keys _symbolKeys = new();
    private readonly List<SymbolEvents> _symbols = [];
    private readonly DayNames _names = new();
    private byte[] _scratch = [];
    private SymbolEvents? _last;
    private bool _scanned;

    /// <summary>Events handed to the scanner so far.</summary>
    public long Events { get; private set; }

    /// <summary>Symbols with at least one event: what a scan looks at (news of other symbols is kept but never scanned).</summary>
    public int Symbols { get; private set; }

    /// <summary>An event as a record (see <see cref="EventRecord.From"/>): how the decoder and tests hand them over.</summary>
    public void OnEvent(in MarketEvent marketEvent)
    {
        var record = EventRecord.From(in marketEvent, ref _scratch);
        OnEvent(in record);
    }

    public void OnEvent(in EventRecord record)
    {
        HeldEvents held = For(record.Symbol).Events;
        Symbols += held.Count == 0 ? 1 : 0;
        held.Add(in record, _names);
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
        DayEvent[] day = [];
        foreach (SymbolEvents grouped in _symbols.OrderBy(s => s.Symbol, StringComparer.Ordinal))
        {
            if (grouped.Events.Count == 0)
            {
                continue;
            }

            if (day.Length < grouped.Events.Count)
            {
                day = new DayEvent[(int)BitOperations.RoundUpToPowerOf2((uint)grouped.Events.Count)];
            }

            var symbolDay = new SymbolDay(grouped.Symbol, day, grouped.Events.SortInto(day), grouped.Events, _names, grouped.SortedNews());
            RuleSet.ScanSymbol(rules, symbolDay, alerts);

            grouped.Events.Release();
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

        return _last = At(_symbolKeys.KeyOf(symbol), symbol);
    }

    private SymbolEvents For(ReadOnlySpan<byte> symbol)
    {
        // A run of one symbol's events (a file written by symbol) costs a compare with the last one's bytes, not a look-up.
        if (_last is not null && _symbolKeys[_last.Key].SequenceEqual(symbol))
        {
            return _last;
        }

        return _last = At(_symbolKeys.KeyOf(symbol), null);
    }

    /// <summary>The symbol of <paramref name="key"/>, new when the key is; named by <paramref name="symbol"/> when given (the reader's interned instance, for the reference compare).</summary>
    private SymbolEvents At(int key, string? symbol)
    {
        if (key == _symbols.Count)
        {
            _symbols.Add(new SymbolEvents(key, symbol ?? _symbolKeys.GetString(key)));
        }

        return _symbols[key];
    }

    /// <summary>One symbol's events (held, see <see cref="HeldEvents"/>) and news.</summary>
    private sealed class SymbolEvents(int key, string symbol)
    {
        public int Key { get; } = key;

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

using Orchestration.Workflows.FraudScan;

namespace Orchestration.MarketGen;

/// <summary>
/// A deterministic market day: the same options give the same events, news and labels, byte for byte. The planted cases
/// (and the price paths they shape) are made up front; the normal flow around them is made a minute at a time while
/// <see cref="Events"/> is enumerated, so a day of any size streams in little memory.
/// </summary>
public sealed class MarketDayGenerator
{
    readonly EventFactory _factory;
    readonly IReadOnlyList<MarketEvent> _planted;
    readonly double _normalOrders;

    public MarketDayGenerator(MarketGenOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Events);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Symbols, 10);

        Options = options;
        var random = new Prng(options.Seed);
        Universe = new Universe(options, random);
        _factory = new EventFactory(random);
        var planter = new Planter(Universe, _factory, random, new NormalFlow(Universe, _factory, random, options.Events / NormalFlow.EventsPerOrder));
        planter.PlantAll(options.CasesPerRule, options.DecoysPerRule);
        _planted = planter.Events;
        Cases = planter.Cases;
        News = planter.News;
        _normalOrders = Math.Max(0, options.Events - _planted.Count) / NormalFlow.EventsPerOrder;
    }

    public MarketGenOptions Options { get; }

    public Universe Universe { get; }

    /// <summary>The planted cases and decoys, with the ids of the events that prove them.</summary>
    public IReadOnlyList<PlantedCase> Cases { get; }

    /// <summary>The day's news, in time order.</summary>
    public IReadOnlyList<NewsEvent> News { get; }

    /// <summary>The day's events in time order (ties in creation order); each enumeration yields the same sequence.</summary>
    public IEnumerable<MarketEvent> Events()
    {
        var random = new Prng(Options.Seed ^ 0x6E6F726D616CUL);
        var flow = new NormalFlow(Universe, _factory.Continue(random), random, _normalOrders);
        var pending = new PriorityQueue<MarketEvent, (long Time, long Sequence)>();
        long sequence = 0;
        void Enqueue(MarketEvent e) => pending.Enqueue(e, (e.Timestamp, sequence++));
        foreach (MarketEvent e in _planted)
        {
            Enqueue(e);
        }

        for (int minute = 0; minute < Universe.SessionMinutes; minute++)
        {
            flow.Minute(minute, Enqueue);

            // Orders made in a later minute rest at most 59 s before it: everything before this minute is final.
            long final = Universe.SessionStart + (minute * TimeSpan.TicksPerMinute);
            while (pending.TryPeek(out MarketEvent e, out var key) && key.Time < final)
            {
                pending.Dequeue();
                yield return e;
            }
        }

        // What would happen after the close (late cancels) is left out.
        while (pending.TryDequeue(out MarketEvent e, out var key) && key.Time <= Universe.SessionEnd)
        {
            yield return e;
        }
    }

    /// <summary>The whole day in memory: for tests and benchmarks of modest size.</summary>
    public GeneratedDay Generate() => new([.. Events()], News, Cases);
}

/// <summary>A generated day held in memory.</summary>
/// <param name="Events">Every event in time order.</param>
public sealed record GeneratedDay(IReadOnlyList<MarketEvent> Events, IReadOnlyList<NewsEvent> News, IReadOnlyList<PlantedCase> Cases)
{
    /// <summary>The events and news grouped by symbol, as a scan hands them to the rules.</summary>
    public IReadOnlyList<SymbolDay> BySymbol()
    {
        var events = new Dictionary<string, List<MarketEvent>>(StringComparer.Ordinal);
        foreach (MarketEvent e in Events)
        {
            (events.TryGetValue(e.Symbol, out var list) ? list : events[e.Symbol] = []).Add(e);
        }

        ILookup<string, NewsEvent> news = News.ToLookup(n => n.Symbol, StringComparer.Ordinal);
        return [.. events.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new SymbolDay(p.Key, p.Value, [.. news[p.Key]]))];
    }
}

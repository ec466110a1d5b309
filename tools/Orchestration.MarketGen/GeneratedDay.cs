using Orchestration.Workflows.FraudScan;

namespace Orchestration.MarketGen;

/// <summary>A generated day held in memory (<see cref="RealisticMarket.Generate"/>).</summary>
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

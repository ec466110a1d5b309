namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// Receives events one at a time, as <see cref="EventFileReader"/> parses them or <see cref="PartitionReader"/> decodes
/// them, so a file of any size streams through without being held in memory. <see cref="PartitionWriter"/> is one.
/// </summary>
/// <remarks>The reader reuses nothing it hands out: an event may be kept as it is.</remarks>
public interface IEventSink
{
    void OnEvent(in MarketEvent marketEvent);

    void OnNews(in NewsEvent news);
}

/// <summary>Keeps everything it is handed, in order: for partitions (which are bounded) and tests, never for a whole input file.</summary>
public sealed class EventCollector : IEventSink
{
    public List<MarketEvent> Events { get; } = [];

    public List<NewsEvent> News { get; } = [];

    public void OnEvent(in MarketEvent marketEvent) => Events.Add(marketEvent);

    public void OnNews(in NewsEvent news) => News.Add(news);
}

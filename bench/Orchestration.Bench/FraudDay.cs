using Orchestration.MarketGen;

namespace Orchestration.Bench;

/// <summary>
/// A generated market day on disk as the scan reads it — <c>events.csv</c> and <c>news.csv</c> — in a temp folder of its
/// own, deleted on dispose. Uncompressed CSV: the bare loop and the scan parse the same bytes, and neither measures gzip.
/// </summary>
internal sealed class FraudDay : IDisposable
{
    const int EventsPerSymbol = 5_000;

    FraudDay(string directory, long events)
    {
        Folder = directory;
        Events = events;
        Bytes = new FileInfo(EventsFile).Length + new FileInfo(NewsFile).Length;
    }

    public string Folder { get; }

    public string EventsFile => Path.Combine(Folder, "events.csv");

    public string NewsFile => Path.Combine(Folder, "news.csv");

    /// <summary>Events in <see cref="EventsFile"/>, as the generator counted them while writing.</summary>
    public long Events { get; }

    /// <summary>Both files' size: what is uploaded, and what the scan's partition count is derived from.</summary>
    public long Bytes { get; }

    /// <summary>
    /// About <paramref name="events"/> events (the generator's count is within a few per cent), the same bytes for the same
    /// seed; one symbol per <see cref="EventsPerSymbol"/> events (at least the generator's default), so a large day has
    /// room for its planted cases and its symbols stay about as busy as a small day's.
    /// </summary>
    public static FraudDay Generate(int events, ulong seed)
    {
        string directory = Path.Combine(Path.GetTempPath(), $"fraud-bench-{Guid.NewGuid():N}");
        var defaults = new MarketGenOptions { Events = events, Seed = seed };
        MarketGenOptions options = defaults with { Symbols = Math.Max(defaults.Symbols, events / EventsPerSymbol) };
        try
        {
            long written = MarketDayFiles.Write(new MarketDayGenerator(options), directory, OutputFormat.Csv, gzip: false);
            return new FraudDay(directory, written);
        }
        catch when (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

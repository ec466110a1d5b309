using System.Diagnostics;
using Orchestration.MarketGen;

namespace Orchestration.Bench;

/// <summary>
/// A realistic market day (<see cref="RealisticMarket"/>, written by the streaming writer) on disk as the scan reads it —
/// <c>events.csv</c> and <c>news.csv</c>, with <c>labels.json</c> beside them — in a temp folder of its own, deleted on
/// dispose. Uncompressed CSV: the bare loop and the scan parse the same bytes, and neither measures gzip.
/// </summary>
internal sealed class FraudDay : IDisposable
{
    const int EventsPerSymbol = 5_000;

    FraudDay(string directory, long events, TimeSpan generation)
    {
        Folder = directory;
        Events = events;
        Generation = generation;
        Bytes = new FileInfo(EventsFile).Length + new FileInfo(NewsFile).Length;
    }

    public string Folder { get; }

    public string EventsFile => Path.Combine(Folder, "events.csv");

    public string NewsFile => Path.Combine(Folder, "news.csv");

    /// <summary>The planted cases and hard negatives (not uploaded: the scan never sees them).</summary>
    public string LabelsFile => Path.Combine(Folder, "labels.json");

    /// <summary>How long making and writing the day took.</summary>
    public TimeSpan Generation { get; }

    /// <summary>Events in <see cref="EventsFile"/>, as the generator counted them while writing.</summary>
    public long Events { get; }

    /// <summary>Both files' size: what is uploaded, and what the scan's partition count is derived from.</summary>
    public long Bytes { get; }

    /// <summary>
    /// About <paramref name="events"/> events (the generator's count is within a few per cent), the same bytes for the same
    /// seed; one symbol per <see cref="EventsPerSymbol"/> events (at least the generator's default), so a large day has
    /// room for its planted cases and its busiest symbols stay a modest share of the day.
    /// </summary>
    public static FraudDay Generate(int events, ulong seed)
    {
        var defaults = new MarketGenOptions { Events = events, Seed = seed };
        return Generate(defaults with { Symbols = Math.Max(defaults.Symbols, events / EventsPerSymbol) });
    }

    /// <summary>The realistic day of <paramref name="options"/>, streamed to disk (memory: about its busiest symbol's day).</summary>
    public static FraudDay Generate(MarketGenOptions options)
    {
        string directory = Path.Combine(Path.GetTempPath(), $"fraud-bench-{Guid.NewGuid():N}");
        try
        {
            long start = Stopwatch.GetTimestamp();
            RealisticDaySummary written = MarketDayFiles.WriteRealistic(options, directory, OutputFormat.Csv, gzip: false);
            return new FraudDay(directory, written.Events, Stopwatch.GetElapsedTime(start));
        }
        catch when (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Orchestration.Workflows.FraudScan;

namespace Orchestration.MarketGen;

public enum OutputFormat
{
    Csv,
    Jsonl,
}

/// <summary>
/// Writes a generated day as the scan reads it: <c>events.csv</c> or <c>events.jsonl</c> (optionally gzipped) with the
/// columns of <see cref="MarketEvent"/>, <c>news.csv</c>, and <c>labels.json</c> with the planted cases and hard negatives
/// (decoys). <see cref="WriteRealistic"/> streams: the day is never held in memory.
/// </summary>
public static class MarketDayFiles
{
    public const string CsvHeader = "timestamp,eventId,type,orderId,account,owner,firm,trader,symbol,side,price,quantity,venue,capacity,execId";

    static readonly JsonSerializerOptions LabelOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Writes a day held in memory (e.g. <see cref="RealisticMarket"/>'s) into <paramref name="directory"/> (created if needed) and returns how many events were written.</summary>
    public static long Write(IEnumerable<MarketEvent> events, IReadOnlyList<NewsEvent> news, IReadOnlyList<PlantedCase> cases, MarketGenOptions options, string directory, OutputFormat format, bool gzip)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(directory);
        long count;
        using (Stream file = File.Create(Path.Combine(directory, EventsFileName(format, gzip))))
        using (Stream output = gzip ? new GZipStream(file, CompressionLevel.Fastest) : file)
        {
            count = format == OutputFormat.Csv ? WriteCsv(events, output) : WriteJsonLines(events, output);
        }

        WriteNews(news, Path.Combine(directory, "news.csv"));
        WriteLabels(options, cases, count, Path.Combine(directory, "labels.json"));
        return count;
    }

    /// <summary>
    /// Makes and writes a realistic day (<see cref="RealisticMarket"/>'s events, news and labels, the same bytes) without
    /// holding it: each symbol's day goes to a temporary file as it is made, then the symbols are merged by time into the
    /// events file. Memory is about the busiest symbol's day (its book keeps it while making it), not the whole day's.
    /// </summary>
    public static RealisticDaySummary WriteRealistic(MarketGenOptions options, string directory, OutputFormat format, bool gzip)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(directory);
        var news = new List<NewsEvent>();
        var cases = new List<PlantedCase>();
        long count;
        using (var runs = new SymbolRuns(directory, format))
        {
            foreach (SymbolMade made in RealisticMarket.MakeSymbols(options, runs.Write))
            {
                runs.EndSymbol();
                news.AddRange(made.News);
                cases.AddRange(made.Cases);
            }

            using Stream file = File.Create(Path.Combine(directory, EventsFileName(format, gzip)));
            using Stream compressed = gzip ? new GZipStream(file, CompressionLevel.Fastest) : file;
            using var output = new BufferedStream(compressed, 1 << 16);
            output.Write(new EventLines(format).Header);
            count = runs.MergeInto(output);
        }

        IReadOnlyList<NewsEvent> sorted = RealisticMarket.SortNews(news);
        WriteNews(sorted, Path.Combine(directory, "news.csv"));
        WriteLabels(options, cases, count, Path.Combine(directory, "labels.json"));
        return new RealisticDaySummary(count, sorted.Count, cases.Count(c => !c.Decoy), cases.Count(c => c.Decoy));
    }

    static string EventsFileName(OutputFormat format, bool gzip) => "events." + (format == OutputFormat.Csv ? "csv" : "jsonl") + (gzip ? ".gz" : string.Empty);

    static long WriteCsv(IEnumerable<MarketEvent> events, Stream output) => WriteLines(events, output, OutputFormat.Csv);

    static long WriteJsonLines(IEnumerable<MarketEvent> events, Stream output) => WriteLines(events, output, OutputFormat.Jsonl);

    static long WriteLines(IEnumerable<MarketEvent> events, Stream output, OutputFormat format)
    {
        using var buffered = new BufferedStream(output, 1 << 16);
        var lines = new EventLines(format);
        buffered.Write(lines.Header);
        long count = 0;
        foreach (MarketEvent e in events)
        {
            buffered.Write(lines.Format(e));
            count++;
        }

        buffered.Flush();
        return count;
    }

    internal static void WriteNews(IEnumerable<NewsEvent> news, string path)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false)) { NewLine = "\n" };
        writer.WriteLine("symbol,timestamp,headline,materiality");
        foreach (NewsEvent item in news)
        {
            writer.WriteLine($"{item.Symbol},{Timestamp(item.Timestamp)},{Quote(item.Headline)},{item.Materiality.ToString("0.##", CultureInfo.InvariantCulture)}");
        }
    }

    internal static void WriteLabels(MarketGenOptions options, IReadOnlyList<PlantedCase> cases, long events, string path)
    {
        var labels = new
        {
            options.Seed,
            Events = events,
            options.Symbols,
            Date = options.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Cases = cases.Where(c => !c.Decoy).Select(Label),
            Decoys = cases.Where(c => c.Decoy).Select(Label),
        };
        File.WriteAllText(path, JsonSerializer.Serialize(labels, LabelOptions) + "\n");
    }

    static object Label(PlantedCase c) => new { c.Rule, c.Symbol, c.Accounts, c.EventIds, c.Note };

    /// <summary>The labelled cases of a <c>labels.json</c> written here: planted cases, then hard negatives (decoys).</summary>
    public static IReadOnlyList<PlantedCase> ReadLabels(string path)
    {
        LabelsFile file = JsonSerializer.Deserialize<LabelsFile>(File.ReadAllText(path), LabelOptions) ?? throw new InvalidDataException($"{path} holds no labels.");
        return [.. file.Cases.Select(c => c.ToCase(decoy: false)), .. file.Decoys.Select(c => c.ToCase(decoy: true))];
    }

    sealed record LabelsFile(IReadOnlyList<LabelEntry> Cases, IReadOnlyList<LabelEntry> Decoys);

    sealed record LabelEntry(string Rule, string Symbol, IReadOnlyList<string> Accounts, IReadOnlyList<string> EventIds, string Note)
    {
        public PlantedCase ToCase(bool decoy) => new(Rule, Symbol, Accounts, EventIds, decoy, Note);
    }

    /// <summary>ISO-8601 UTC with 7 fractional digits.</summary>
    public static string Timestamp(long ticks) => new DateTime(ticks, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    internal static string Price(double price) => price == 0 ? "0" : price.ToString("0.00", CultureInfo.InvariantCulture);

    internal static string Type(EventType type) => type switch
    {
        EventType.New => "NEW",
        EventType.Cancel => "CANCEL",
        EventType.Modify => "MODIFY",
        _ => "TRADE",
    };

    internal static string Side(Side side) => side == Workflows.FraudScan.Side.Buy ? "BUY" : "SELL";

    internal static string Capacity(Capacity capacity) => capacity == Workflows.FraudScan.Capacity.Principal ? "PRINCIPAL" : "CLIENT";

    static string Quote(string text) => text.AsSpan().IndexOfAny(",\"\n") < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

/// <summary>What <see cref="MarketDayFiles.WriteRealistic"/> wrote.</summary>
public sealed record RealisticDaySummary(long Events, int News, int Planted, int HardNegatives);

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
/// columns of <see cref="MarketEvent"/>, <c>news.csv</c>, and <c>labels.json</c> with the planted cases and decoys.
/// Events are streamed: the day is never held in memory.
/// </summary>
public static class MarketDayFiles
{
    public const string CsvHeader = "timestamp,eventId,type,orderId,account,owner,firm,trader,symbol,side,price,quantity,venue,capacity,execId";

    static readonly JsonSerializerOptions LabelOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Writes the three files into <paramref name="directory"/> (created if needed) and returns how many events were written.</summary>
    public static long Write(MarketDayGenerator generator, string directory, OutputFormat format, bool gzip)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return Write(generator.Events(), generator.News, generator.Cases, generator.Options, directory, format, gzip);
    }

    /// <summary>Writes a day made by any mode (e.g. <see cref="RealisticMarket"/>) the same way.</summary>
    public static long Write(IEnumerable<MarketEvent> events, IReadOnlyList<NewsEvent> news, IReadOnlyList<PlantedCase> cases, MarketGenOptions options, string directory, OutputFormat format, bool gzip)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(directory);
        string name = "events." + (format == OutputFormat.Csv ? "csv" : "jsonl") + (gzip ? ".gz" : string.Empty);
        long count;
        using (Stream file = File.Create(Path.Combine(directory, name)))
        using (Stream output = gzip ? new GZipStream(file, CompressionLevel.Fastest) : file)
        {
            count = format == OutputFormat.Csv ? WriteCsv(events, output) : WriteJsonLines(events, output);
        }

        WriteNews(news, Path.Combine(directory, "news.csv"));
        WriteLabels(options, cases, count, Path.Combine(directory, "labels.json"));
        return count;
    }

    static long WriteCsv(IEnumerable<MarketEvent> events, Stream output)
    {
        using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        writer.WriteLine(CsvHeader);
        long count = 0;
        foreach (MarketEvent e in events)
        {
            writer.Write(Timestamp(e.Timestamp));
            foreach (string field in (ReadOnlySpan<string>)[e.EventId, Type(e.Type), e.OrderId, e.Account, e.Owner, e.Firm, e.Trader, e.Symbol, Side(e.Side), Price(e.Price)])
            {
                writer.Write(',');
                writer.Write(field);
            }

            writer.Write(',');
            writer.Write(e.Quantity.ToString(CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(e.Venue);
            writer.Write(',');
            writer.Write(Capacity(e.Capacity));
            writer.Write(',');
            writer.WriteLine(e.ExecId);
            count++;
        }

        return count;
    }

    static long WriteJsonLines(IEnumerable<MarketEvent> events, Stream output)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        long count = 0;
        foreach (MarketEvent e in events)
        {
            json.WriteStartObject();
            json.WriteString("timestamp", Timestamp(e.Timestamp));
            json.WriteString("eventId", e.EventId);
            json.WriteString("type", Type(e.Type));
            json.WriteString("orderId", e.OrderId);
            json.WriteString("account", e.Account);
            json.WriteString("owner", e.Owner);
            json.WriteString("firm", e.Firm);
            json.WriteString("trader", e.Trader);
            json.WriteString("symbol", e.Symbol);
            json.WriteString("side", Side(e.Side));
            json.WriteNumber("price", Math.Round(e.Price, 2));
            json.WriteNumber("quantity", e.Quantity);
            json.WriteString("venue", e.Venue);
            json.WriteString("capacity", Capacity(e.Capacity));
            json.WriteString("execId", e.ExecId);
            json.WriteEndObject();
            json.Flush();
            output.WriteByte((byte)'\n');
            json.Reset();
            count++;
        }

        return count;
    }

    static void WriteNews(IEnumerable<NewsEvent> news, string path)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false)) { NewLine = "\n" };
        writer.WriteLine("symbol,timestamp,headline,materiality");
        foreach (NewsEvent item in news)
        {
            writer.WriteLine($"{item.Symbol},{Timestamp(item.Timestamp)},{Quote(item.Headline)},{item.Materiality.ToString("0.##", CultureInfo.InvariantCulture)}");
        }
    }

    static void WriteLabels(MarketGenOptions options, IReadOnlyList<PlantedCase> cases, long events, string path)
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

    /// <summary>ISO-8601 UTC with 7 fractional digits.</summary>
    public static string Timestamp(long ticks) => new DateTime(ticks, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    static string Price(double price) => price == 0 ? "0" : price.ToString("0.00", CultureInfo.InvariantCulture);

    static string Type(EventType type) => type switch
    {
        EventType.New => "NEW",
        EventType.Cancel => "CANCEL",
        EventType.Modify => "MODIFY",
        _ => "TRADE",
    };

    static string Side(Side side) => side == Workflows.FraudScan.Side.Buy ? "BUY" : "SELL";

    static string Capacity(Capacity capacity) => capacity == Workflows.FraudScan.Capacity.Principal ? "PRINCIPAL" : "CLIENT";

    static string Quote(string text) => text.AsSpan().IndexOfAny(",\"\n") < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

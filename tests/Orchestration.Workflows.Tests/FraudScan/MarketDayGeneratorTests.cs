using System.Globalization;
using System.Text.Json;
using Orchestration.MarketGen;
using Orchestration.Workflows.FraudScan;

namespace Orchestration.Workflows.Tests.FraudScan;

[TestClass]
public sealed class MarketDayGeneratorTests
{
    static readonly MarketGenOptions Small = new() { Events = 50_000, Seed = 42, Symbols = 60 };

    [TestMethod]
    public void Generate_SameSeedTwice_SameEventsNewsAndCases()
    {
        GeneratedDay first = new MarketDayGenerator(Small).Generate();
        GeneratedDay second = new MarketDayGenerator(Small).Generate();

        CollectionAssert.AreEqual(first.Events.ToArray(), second.Events.ToArray());
        CollectionAssert.AreEqual(first.News.ToArray(), second.News.ToArray());
        Assert.AreEqual(JsonSerializer.Serialize(first.Cases), JsonSerializer.Serialize(second.Cases));
    }

    [TestMethod]
    public void Generate_OtherSeed_OtherDay()
    {
        GeneratedDay first = new MarketDayGenerator(Small).Generate();
        GeneratedDay other = new MarketDayGenerator(Small with { Seed = 43 }).Generate();

        CollectionAssert.AreNotEqual(first.Events.Take(1000).ToArray(), other.Events.Take(1000).ToArray());
    }

    [TestMethod]
    public void Generate_Day_SortedUniqueAboutTheRequestedSizeWithEveryCaseInIt()
    {
        GeneratedDay day = new MarketDayGenerator(Small).Generate();

        Assert.IsTrue(Math.Abs(day.Events.Count - Small.Events) < Small.Events * 0.05, $"{day.Events.Count} events");
        for (int i = 1; i < day.Events.Count; i++)
        {
            Assert.IsTrue(day.Events[i - 1].Timestamp <= day.Events[i].Timestamp, $"event {i} out of order");
        }

        var ids = day.Events.Select(e => e.EventId).ToHashSet(StringComparer.Ordinal);
        Assert.AreEqual(day.Events.Count, ids.Count, "event ids are unique");
        foreach (PlantedCase planted in day.Cases)
        {
            Assert.IsTrue(planted.EventIds.All(ids.Contains), $"{planted.Rule} {planted.Note}");
        }

        foreach (string rule in new[] { "wash-trade", "spoofing", "front-running", "marking-the-close", "trading-ahead-of-news", "unusual-volume" })
        {
            Assert.AreEqual(Small.CasesPerRule, day.Cases.Count(c => c.Rule == rule && !c.Decoy), rule);
            Assert.AreEqual(Small.DecoysPerRule, day.Cases.Count(c => c.Rule == rule && c.Decoy), rule);
        }
    }

    [TestMethod]
    [DataRow(OutputFormat.Csv, false)]
    [DataRow(OutputFormat.Jsonl, true)]
    public void Write_SameSeedTwice_ByteIdenticalFiles(OutputFormat format, bool gzip)
    {
        string root = Path.Combine(Path.GetTempPath(), "marketgen-" + Guid.NewGuid().ToString("N"));
        try
        {
            long first = MarketDayFiles.Write(new MarketDayGenerator(Small), Path.Combine(root, "a"), format, gzip);
            long second = MarketDayFiles.Write(new MarketDayGenerator(Small), Path.Combine(root, "b"), format, gzip);

            Assert.AreEqual(first, second);
            string[] files = [.. Directory.GetFiles(Path.Combine(root, "a")).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
            string events = "events." + (format == OutputFormat.Csv ? "csv" : "jsonl") + (gzip ? ".gz" : string.Empty);
            CollectionAssert.AreEqual(new[] { events, "labels.json", "news.csv" }, files);
            foreach (string file in files)
            {
                CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(root, "a", file)), File.ReadAllBytes(Path.Combine(root, "b", file)), file);
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [TestMethod]
    public void Write_Csv_HeaderAndRowsInTheInputFormat()
    {
        string root = Path.Combine(Path.GetTempPath(), "marketgen-" + Guid.NewGuid().ToString("N"));
        try
        {
            MarketDayFiles.Write(new MarketDayGenerator(Small), root, OutputFormat.Csv, gzip: false);

            string[] lines = [.. File.ReadLines(Path.Combine(root, "events.csv")).Take(200)];
            Assert.AreEqual("timestamp,eventId,type,orderId,account,owner,firm,trader,symbol,side,price,quantity,venue,capacity,execId", lines[0]);
            string[] trade = lines.Skip(1).Select(l => l.Split(',')).First(f => f[2] == "TRADE");
            Assert.AreEqual(15, trade.Length);
            Assert.IsTrue(DateTime.TryParseExact(trade[0], "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out _), trade[0]);
            CollectionAssert.Contains(new[] { "BUY", "SELL" }, trade[9]);
            CollectionAssert.Contains(new[] { "CLIENT", "PRINCIPAL" }, trade[13]);
            Assert.AreNotEqual(string.Empty, trade[14]);
            StringAssert.StartsWith(File.ReadLines(Path.Combine(root, "news.csv")).First(), "symbol,timestamp,headline,materiality");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}

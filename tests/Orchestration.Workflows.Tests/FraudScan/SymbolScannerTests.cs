using System.Text.Json;
using Orchestration.MarketGen;
using Orchestration.Workflows.FraudScan;

namespace Orchestration.Workflows.Tests.FraudScan;

[TestClass]
public sealed class SymbolScannerTests
{
    static readonly long Open = DayBuilder.At(0);

    static MarketEvent Event(string symbol, long ticks, string id, string account = "A1", string orderId = "O1", string execId = "") =>
        new(Open + ticks, id, EventType.New, orderId, account, "W-" + account, "F1", "T1", symbol, Side.Buy, 100.25, 300, "XNAS", Capacity.Client, execId);

    /// <summary>A rule that keeps a copy of every day it is shown, to see what the scanner hands the rules.</summary>
    sealed class RecordingRule : ISurveillanceRule
    {
        public List<(string Symbol, MarketEvent[] Events, NewsEvent[] News)> Days { get; } = [];

        public string Name => "recording";

        public void Scan(SymbolDay day, ICollection<Alert> alerts) => Days.Add((day.Symbol, day.ToMarketEvents(), [.. day.News]));
    }

    static RecordingRule ScanWithRecorder(IEnumerable<MarketEvent> events, IEnumerable<NewsEvent>? news = null)
    {
        var scanner = new SymbolScanner();
        foreach (MarketEvent e in events)
        {
            scanner.OnEvent(e);
        }

        foreach (NewsEvent n in news ?? [])
        {
            scanner.OnNews(n);
        }

        var rule = new RecordingRule();
        scanner.Scan([rule]);
        return rule;
    }

    [TestMethod]
    public void EachSymbolsEventsReachTheRulesInTimeOrder_TiesInArrivalOrder_SymbolsInOrdinalOrder()
    {
        MarketEvent[] arrived =
        [
            Event("ZED", 30, "z1"),
            Event("ACME", 20, "a1"),
            Event("ACME", 10, "a2"),
            Event("ZED", 10, "z2"),
            Event("ACME", 20, "a3"), // same time as a1: stays after it
            Event("ACME", 5, "a4"),
            Event("ZED", 30, "z3"), // same time as z1: stays after it
        ];

        RecordingRule rule = ScanWithRecorder(arrived);

        CollectionAssert.AreEqual(new[] { "ACME", "ZED" }, rule.Days.Select(d => d.Symbol).ToArray());
        CollectionAssert.AreEqual(new[] { "a4", "a2", "a1", "a3" }, rule.Days[0].Events.Select(e => e.EventId).ToArray());
        CollectionAssert.AreEqual(new[] { "z2", "z1", "z3" }, rule.Days[1].Events.Select(e => e.EventId).ToArray());
    }

    [TestMethod]
    public void EveryFieldComesBackAsItWasHanded_AcrossChunkAndTextBlockBoundaries()
    {
        // 3,000 events (the held form's chunks are 1,024) with ids long and short, empty, non-ASCII, and one of 20,000
        // characters (more than a text block of 16,384), accounts pooled or not: every field must come back equal.
        var random = new Random(7);
        var arrived = new List<MarketEvent>();
        for (int i = 0; i < 3000; i++)
        {
            string id = i switch
            {
                17 => new string('x', 20_000),
                18 => "évènement-事件-😀",
                _ => "E" + i,
            };
            arrived.Add(new MarketEvent(
                Open + (i * 1000L),
                id,
                (EventType)(i % 4),
                i % 3 == 0 ? "" : "O" + (i / 3),
                "A" + random.Next(50),
                new string('W', 1 + (i % 5)),
                "F" + (i % 7),
                i % 11 == 0 ? "" : "T" + (i % 13),
                "ACME",
                (Side)(i % 2),
                i * 0.01,
                i * 7L,
                i % 2 == 0 ? "XNAS" : "ARCX",
                (Capacity)(i % 2),
                i % 4 == 3 ? "X" + i : ""));
        }

        RecordingRule rule = ScanWithRecorder(arrived);

        Assert.HasCount(1, rule.Days);
        CollectionAssert.AreEqual(arrived, rule.Days[0].Events);
    }

    [TestMethod]
    public void SymbolsOfEverySize_EachComesBackWhole()
    {
        // The held form starts small and grows (first chunk 4 records doubling to 1,024; text blocks 64 characters
        // doubling): sizes either side of each step, interleaved as a file interleaves symbols.
        int[] sizes = [1, 3, 4, 5, 8, 9, 1023, 1024, 1025, 2049];
        var expected = sizes.ToDictionary(n => $"S{n}", _ => new List<MarketEvent>());
        for (int i = 0; i < sizes.Max(); i++)
        {
            foreach (int n in sizes.Where(n => i < n))
            {
                string symbol = $"S{n}";
                expected[symbol].Add(Event(symbol, i, $"{symbol}-event-{i}", account: "A" + (i % 7), orderId: $"order-{i / 2}", execId: i % 3 == 0 ? $"exec-{i}" : ""));
            }
        }

        RecordingRule rule = ScanWithRecorder(sizes.SelectMany(n => expected[$"S{n}"].Select((e, i) => (e, i))).OrderBy(p => p.i).Select(p => p.e));

        Assert.HasCount(sizes.Length, rule.Days);
        foreach ((string symbol, MarketEvent[] events, _) in rule.Days)
        {
            CollectionAssert.AreEqual(expected[symbol], events, symbol);
        }
    }

    [TestMethod]
    public void NewsGoesToItsSymbolInTimeOrder_ASymbolWithOnlyNewsIsNotScanned()
    {
        NewsEvent late = new("ACME", Open + 50, "later", 0.9);
        NewsEvent early = new("ACME", Open + 10, "earlier", 0.2);
        NewsEvent other = new("QUIET", Open + 10, "nobody traded", 1);

        var scanner = new SymbolScanner();
        scanner.OnNews(late);
        scanner.OnEvent(Event("ACME", 20, "a1"));
        scanner.OnNews(other);
        scanner.OnNews(early);
        scanner.OnEvent(Event("ACME", 30, "a2"));
        var rule = new RecordingRule();
        scanner.Scan([rule]);

        Assert.AreEqual(2, scanner.Events);
        Assert.AreEqual(1, scanner.Symbols);
        Assert.HasCount(1, rule.Days);
        CollectionAssert.AreEqual(new[] { early, late }, rule.Days[0].News);
    }

    [TestMethod]
    public void CountsEventsAndSymbols()
    {
        var scanner = new SymbolScanner();
        foreach (MarketEvent e in new[] { Event("B", 1, "1"), Event("A", 2, "2"), Event("B", 3, "3"), Event("C", 4, "4") })
        {
            scanner.OnEvent(e);
        }

        Assert.AreEqual(4, scanner.Events);
        Assert.AreEqual(3, scanner.Symbols);
    }

    [TestMethod]
    public void TheSameAccountAsAnotherStringInstance_IsHeldOnce_AndComesBackEqual()
    {
        // Past the readers' pool, every line hands over a new instance of the same account: the held form must key them
        // by value, or its table grows with every event.
        var scanner = new SymbolScanner();
        for (int i = 0; i < 3; i++)
        {
            scanner.OnEvent(Event("ACME", i, "E" + i, account: new string(['A', '7'])));
        }

        var rule = new RecordingRule();
        scanner.Scan([rule]);

        MarketEvent[] held = rule.Days[0].Events;
        Assert.IsTrue(held.All(e => e.Account == "A7"));
        Assert.IsTrue(ReferenceEquals(held[0].Account, held[2].Account), "one string per distinct value");
    }

    [TestMethod]
    public void AFileReadAsRecords_ScansTheSameAsItsEventsHandedOneByOne()
    {
        // The reader hands a scanner records (bytes, no strings); the decoder and tests hand it MarketEvents. Both
        // routes into the held form must give the rules the same days and so the same alerts.
        string directory = Directory.CreateTempSubdirectory("symbol-scanner-").FullName;
        try
        {
            MarketDayFiles.WriteRealistic(new MarketGenOptions { Events = 50_000, Seed = 11, Symbols = 60 }, directory, OutputFormat.Csv, gzip: false);
            IReadOnlyList<ISurveillanceRule> rules = RuleSet.From(new FraudScanDefinition()).Rules;

            var fromRecords = new SymbolScanner();
            var recordDays = new RecordingRule();
            Read(directory, fromRecords);
            IReadOnlyList<Alert> recordAlerts = fromRecords.Scan([.. rules, recordDays]);

            var collected = new EventCollector();
            Read(directory, collected);
            RecordingRule eventDays = ScanWithRecorder(collected.Events, collected.News);
            var fromEvents = new SymbolScanner();
            collected.Events.ForEach(e => fromEvents.OnEvent(e));
            collected.News.ForEach(n => fromEvents.OnNews(n));
            IReadOnlyList<Alert> eventAlerts = fromEvents.Scan(rules);

            Assert.IsGreaterThan(20, recordAlerts.Count, "the generated day's planted cases raise alerts");
            Assert.AreEqual(JsonSerializer.Serialize(eventAlerts), JsonSerializer.Serialize(recordAlerts));
            Assert.HasCount(eventDays.Days.Count, recordDays.Days);
            for (int i = 0; i < eventDays.Days.Count; i++)
            {
                Assert.AreEqual(eventDays.Days[i].Symbol, recordDays.Days[i].Symbol);
                CollectionAssert.AreEqual(eventDays.Days[i].Events, recordDays.Days[i].Events, eventDays.Days[i].Symbol);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        static void Read(string directory, IEventSink sink)
        {
            foreach (string file in new[] { "events.csv", "news.csv" })
            {
                using FileStream stream = File.OpenRead(Path.Combine(directory, file));
                Assert.IsInstanceOfType<EventFileVerdict.Accepted>(EventFileReader.Read(stream, sink));
            }
        }
    }

    [TestMethod]
    public void AScannerScansOnce()
    {
        var scanner = new SymbolScanner();
        scanner.OnEvent(Event("ACME", 1, "1"));
        scanner.Scan([]);

        Assert.ThrowsExactly<InvalidOperationException>(() => scanner.Scan([]));
    }
}

using System.Globalization;
using Orchestration.MarketGen;
using Orchestration.Workflows.FraudScan;

namespace Orchestration.Workflows.Tests.FraudScan;

/// <summary>Invariants of a day of the realistic mode (<c>--market realistic</c>), replayed event by event through a book.</summary>
[TestClass]
public sealed class RealisticMarketTests
{
    static readonly MarketGenOptions Small = new() { Events = 100_000, Seed = 11, Symbols = 50 };

    [TestMethod]
    public void Write_SameSeedTwice_ByteIdenticalFiles_OtherSeedOtherEvents()
    {
        string root = Path.Combine(Path.GetTempPath(), "realmarket-" + Guid.NewGuid().ToString("N"));
        try
        {
            foreach ((string folder, ulong seed) in new[] { ("a", 11UL), ("b", 11UL), ("c", 12UL) })
            {
                var market = new RealisticMarket(Small with { Seed = seed });
                MarketDayFiles.Write(market.Events, market.News, market.Cases, market.Options, Path.Combine(root, folder), OutputFormat.Csv, gzip: false);
            }

            foreach (string file in new[] { "events.csv", "news.csv", "labels.json" })
            {
                CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(root, "a", file)), File.ReadAllBytes(Path.Combine(root, "b", file)), file);
            }

            CollectionAssert.AreNotEqual(File.ReadAllBytes(Path.Combine(root, "a", "events.csv")), File.ReadAllBytes(Path.Combine(root, "c", "events.csv")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [TestMethod]
    [DataRow(OutputFormat.Csv, false)]
    [DataRow(OutputFormat.Jsonl, true)]
    public void WriteRealistic_StreamedThroughTemporaryFiles_SameBytesAsTheDayMadeInMemory(OutputFormat format, bool gzip)
    {
        string root = Path.Combine(Path.GetTempPath(), "realmarket-" + Guid.NewGuid().ToString("N"));
        try
        {
            var market = new RealisticMarket(Small);
            long inMemory = MarketDayFiles.Write(market.Events, market.News, market.Cases, market.Options, Path.Combine(root, "memory"), format, gzip);
            RealisticDaySummary streamed = MarketDayFiles.WriteRealistic(Small, Path.Combine(root, "streamed"), format, gzip);

            Assert.AreEqual(inMemory, streamed.Events);
            Assert.AreEqual(market.News.Count, streamed.News);
            Assert.AreEqual(market.Cases.Count, streamed.Planted + streamed.HardNegatives);
            string[] files = [.. Directory.GetFiles(Path.Combine(root, "memory")).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
            CollectionAssert.AreEqual(files, Directory.GetFiles(Path.Combine(root, "streamed")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray(), "the temporary file is left behind, or a file is missing");
            foreach (string file in files)
            {
                CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(root, "memory", file)), File.ReadAllBytes(Path.Combine(root, "streamed", file)), file);
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [TestMethod]
    public void WriteRealistic_Csv_HeaderAndRowsInTheInputFormat()
    {
        string root = Path.Combine(Path.GetTempPath(), "realmarket-" + Guid.NewGuid().ToString("N"));
        try
        {
            MarketDayFiles.WriteRealistic(Small, root, OutputFormat.Csv, gzip: false);

            string[] lines = [.. File.ReadLines(Path.Combine(root, "events.csv")).Take(2000)];
            Assert.AreEqual("timestamp,eventId,type,orderId,account,owner,firm,trader,symbol,side,price,quantity,venue,capacity,execId", lines[0]);
            string[] trade = lines.Skip(1).Select(l => l.Split(',')).First(f => f[2] == "TRADE");
            Assert.AreEqual(15, trade.Length);
            Assert.IsTrue(DateTime.TryParseExact(trade[0], "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out _), trade[0]);
            CollectionAssert.Contains(new[] { "BUY", "SELL" }, trade[9]);
            CollectionAssert.Contains(new[] { "CLIENT", "PRINCIPAL" }, trade[13]);
            Assert.AreNotEqual(string.Empty, trade[14]);
            StringAssert.StartsWith(File.ReadLines(Path.Combine(root, "news.csv")).First(), "symbol,timestamp,headline,materiality");
            Assert.IsNotEmpty(MarketDayFiles.ReadLabels(Path.Combine(root, "labels.json")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [TestMethod]
    public void Day_ReplayedThroughABook_EveryTradeAndCancelMeetsALiveOrder()
    {
        var market = new RealisticMarket(Small);
        var washed = market.Cases.Where(c => !c.Decoy && c.Rule == "wash-trade").SelectMany(c => c.EventIds).ToHashSet(StringComparer.Ordinal);
        var orders = new Dictionary<string, (MarketEvent New, long Remaining, bool Live)>(StringComparer.Ordinal);
        var executions = new Dictionary<string, MarketEvent>(StringComparer.Ordinal);
        var lots = market.Symbols.ToDictionary(s => s.Ticker, s => s.Lot, StringComparer.Ordinal);
        long previous = 0;
        int trades = 0;
        foreach (MarketEvent e in market.Events)
        {
            Assert.IsTrue(e.Timestamp >= previous, $"{e.EventId} out of time order");
            previous = e.Timestamp;
            switch (e.Type)
            {
                case EventType.New:
                    Assert.IsFalse(orders.ContainsKey(e.OrderId), $"{e.OrderId} placed twice");
                    Assert.IsTrue(e.Price > 0 && e.Quantity > 0, e.EventId);
                    Assert.AreEqual(0, e.Quantity % lots[e.Symbol], $"{e.EventId}: {e.Quantity} is not in lots of {lots[e.Symbol]}");
                    orders[e.OrderId] = (e, e.Quantity, true);
                    break;
                case EventType.Cancel:
                    Assert.IsTrue(orders.TryGetValue(e.OrderId, out var cancelled) && cancelled.Live && cancelled.Remaining > 0, $"{e.EventId} cancels {e.OrderId}, which is not live");
                    orders[e.OrderId] = cancelled with { Live = false };
                    break;
                case EventType.Trade:
                    trades++;
                    Assert.IsTrue(orders.TryGetValue(e.OrderId, out var order) && order.Live && order.Remaining >= e.Quantity, $"{e.EventId} fills {e.OrderId}, which is not live with {e.Quantity} left");
                    Assert.AreEqual(order.New.Side, e.Side, e.EventId);
                    orders[e.OrderId] = order with { Remaining = order.Remaining - e.Quantity, Live = order.Remaining > e.Quantity };
                    if (!executions.Remove(e.ExecId, out MarketEvent other))
                    {
                        executions[e.ExecId] = e;
                        break;
                    }

                    MarketEvent buy = e.Side == Side.Buy ? e : other, sell = e.Side == Side.Buy ? other : e;
                    Assert.AreNotEqual(buy.Side, sell.Side, e.ExecId);
                    Assert.AreEqual(buy.Price, sell.Price, e.ExecId);
                    Assert.AreEqual(buy.Quantity, sell.Quantity, e.ExecId);
                    Assert.IsTrue(buy.Owner != sell.Owner || (washed.Contains(buy.EventId) && washed.Contains(sell.EventId)), $"{e.ExecId}: one owner on both sides outside a planted wash trade");
                    double buyLimit = orders[buy.OrderId].New.Price, sellLimit = orders[sell.OrderId].New.Price;
                    Assert.IsTrue(buyLimit >= buy.Price && sellLimit <= buy.Price, $"{e.ExecId} at {buy.Price} outside the limits {buyLimit}/{sellLimit}");
                    break;
                default:
                    Assert.Fail($"{e.EventId}: {e.Type}");
                    break;
            }
        }

        Assert.AreEqual(0, executions.Count, "executions with one side only");
        Assert.IsTrue(trades > 1000, $"{trades} trade events");
    }

    [TestMethod]
    public void Day_MarketMakers_CancelMostQuotesUnfilledQuicklyAndStayWithinTheirInventoryLimit()
    {
        var market = new RealisticMarket(Small);
        var lots = market.Symbols.ToDictionary(s => s.Ticker, s => s.Lot, StringComparer.Ordinal);
        var placed = new Dictionary<string, long>(StringComparer.Ordinal);
        var filled = new HashSet<string>(StringComparer.Ordinal);
        var inventory = new Dictionary<(string, string), long>();
        int unfilledCancels = 0, quick = 0;
        foreach (MarketEvent e in market.Events.Where(e => e.Account.StartsWith("MM", StringComparison.Ordinal)))
        {
            if (e.Type == EventType.New)
            {
                placed[e.OrderId] = e.Timestamp;
            }
            else if (e.Type == EventType.Trade)
            {
                filled.Add(e.OrderId);
                long position = inventory.GetValueOrDefault((e.Account, e.Symbol)) + (e.Side == Side.Buy ? e.Quantity : -e.Quantity);
                inventory[(e.Account, e.Symbol)] = position;
                long limit = (RealisticMarket.InventoryLimitLots + RealisticMarket.MaxQuoteLots) * lots[e.Symbol];
                Assert.IsTrue(Math.Abs(position) <= limit, $"{e.Account} holds {position} {e.Symbol}, limit {limit}");
            }
            else if (e.Type == EventType.Cancel && !filled.Contains(e.OrderId))
            {
                unfilledCancels++;
                quick += e.Timestamp - placed[e.OrderId] <= 2 * TimeSpan.TicksPerSecond ? 1 : 0;
            }
        }

        double rate = unfilledCancels / (double)placed.Count;
        Console.WriteLine($"market makers: {placed.Count} orders, {rate:P1} cancelled unfilled, {quick / (double)unfilledCancels:P1} of those within 2 s");
        // Real market makers cancel about 77-82 % unfilled; the planted ramps and insiders take some more of their quotes.
        Assert.IsTrue(rate is >= 0.70 and <= 0.88, $"cancel rate {rate:P1}");
        Assert.IsTrue(quick >= unfilledCancels / 5, $"{quick} of {unfilledCancels} cancelled within 2 s");
    }

    [TestMethod]
    public void Day_ActivityIsZipfSkewedAndAboutTheRequestedSize()
    {
        var market = new RealisticMarket(Small);
        int[] perSymbol = [.. market.Events.CountBy(e => e.Symbol).Select(p => p.Value).OrderDescending()];

        Assert.IsTrue(Math.Abs(market.Events.Count - Small.Events) < Small.Events * 0.25, $"{market.Events.Count} events");
        Assert.AreEqual(Small.Symbols, perSymbol.Length);
        Assert.IsTrue(perSymbol[0] >= 10 * perSymbol[perSymbol.Length / 2], $"busiest {perSymbol[0]}, median {perSymbol[perSymbol.Length / 2]}");
        Assert.IsTrue(perSymbol.Take(perSymbol.Length / 10).Sum() >= 0.3 * market.Events.Count, "the busiest tenth of symbols has under 30 % of the events");
        Assert.IsTrue(market.News.Select(n => n.Materiality).Any(m => m < 0.3) && market.News.Any(n => n.Materiality >= 0.7), "news of low and high materiality");
    }

    [TestMethod]
    public void Labels_HardNegativesOfEveryKind_CiteEventsOfTheirSymbol()
    {
        var market = new RealisticMarket(Small);
        var events = market.Events.ToDictionary(e => e.EventId, StringComparer.Ordinal);

        foreach (PlantedCase label in market.Cases)
        {
            Assert.AreEqual(label.Decoy, label.Note.StartsWith("Hard negative:", StringComparison.Ordinal), label.Note);
            Assert.IsTrue(label.EventIds.Count > 0, label.Note);
            foreach (string id in label.EventIds)
            {
                Assert.IsTrue(events.TryGetValue(id, out MarketEvent e) && e.Symbol == label.Symbol, $"{id} of {label.Note}");
            }
        }

        string[] kinds = ["market maker", "inventory flip", "algorithm working", "after high-materiality news", "on-close order", "own desk trading", "large client order resting"];
        foreach (string kind in kinds)
        {
            Assert.IsTrue(market.Cases.Any(c => c.Note.Contains(kind, StringComparison.Ordinal)), $"no hard negative '{kind}'");
        }
    }

    [TestMethod]
    public void Abuse_WashTradesChangeNoOwnershipAndSpoofsAreLargeCancelledLayersAroundAnOppositeTrade()
    {
        var market = new RealisticMarket(Small);
        var events = market.Events.ToDictionary(e => e.EventId, StringComparer.Ordinal);
        PlantedCase[] washes = [.. market.Cases.Where(c => !c.Decoy && c.Rule == "wash-trade")];
        PlantedCase[] spoofs = [.. market.Cases.Where(c => !c.Decoy && c.Rule == "spoofing")];
        Assert.IsTrue(washes.Length >= 5 && spoofs.Length >= 5, $"{washes.Length} wash trades, {spoofs.Length} spoofs");

        foreach (PlantedCase wash in washes)
        {
            // Both sides of every execution are the case's accounts: one owner, or the two trading back and forth.
            var executions = wash.EventIds.Select(id => events[id]).GroupBy(e => e.ExecId).ToList();
            Assert.IsTrue(executions.Count >= 2, $"{wash.Symbol}: {wash.Note} ({executions.Count} execution(s), {wash.EventIds.Count} labelled events)");
            foreach (var execution in executions)
            {
                Assert.AreEqual(2, execution.Count(), $"{wash.Note}: {execution.Key} has a side outside the case");
            }

            bool oneOwner = executions.All(x => x.Select(e => e.Owner).Distinct().Count() == 1);
            bool backAndForth = executions.Select(x => x.Single(e => e.Side == Side.Buy).Account).Distinct().Count() == 2;
            Assert.IsTrue(oneOwner || backAndForth, wash.Note);
        }

        foreach (PlantedCase spoof in spoofs)
        {
            MarketEvent[] own = [.. market.Events.Where(e => e.Symbol == spoof.Symbol && e.Account == spoof.Accounts[0])];
            MarketEvent[] layers = [.. own.Where(e => e.Type == EventType.New && e.Quantity >= 15 * market.Symbols.Single(s => s.Ticker == spoof.Symbol).Lot)];
            long[] quotes = [.. market.Events.Where(e => e.Symbol == spoof.Symbol && e.Type == EventType.New && e.Account.StartsWith("MM", StringComparison.Ordinal)).Select(e => e.Quantity).Order()];
            Assert.IsTrue(layers.Length >= 3 || (layers.Length == 1 && layers[0].Quantity >= 40 * market.Symbols.Single(s => s.Ticker == spoof.Symbol).Lot), spoof.Note);
            Assert.IsTrue(layers.All(l => l.Quantity >= 5 * quotes[quotes.Length / 2]), $"{spoof.Note}: layers against a median quote of {quotes[quotes.Length / 2]}");
            Side fake = layers[0].Side;
            MarketEvent opposite = own.First(e => e.Type == EventType.Trade && e.Side != fake);
            long lastCancel = own.Where(e => e.Type == EventType.Cancel && layers.Any(l => l.OrderId == e.OrderId)).Max(e => e.Timestamp);
            Assert.IsTrue(opposite.Timestamp > layers[0].Timestamp && opposite.Timestamp <= lastCancel, spoof.Note);
            Assert.IsTrue(lastCancel - layers[0].Timestamp < 30 * TimeSpan.TicksPerSecond, $"{spoof.Note}: layers lived {(lastCancel - layers[0].Timestamp) / 1e7} s");
            CollectionAssert.IsSubsetOf(layers.Select(l => l.EventId).ToArray(), spoof.EventIds.ToArray(), spoof.Note);
        }
    }
}

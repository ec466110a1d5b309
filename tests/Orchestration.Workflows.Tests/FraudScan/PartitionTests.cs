using System.Text;
using Orchestration.MarketGen;
using Orchestration.Workflows.FraudScan;

namespace Orchestration.Workflows.Tests.FraudScan;

[TestClass]
public sealed class PartitionTests
{
    [TestMethod]
    public void Fnv1a_StandardTestVectors()
    {
        Assert.AreEqual(0x811C9DC5u, Partitioning.Fnv1a(""u8));
        Assert.AreEqual(0xE40C292Cu, Partitioning.Fnv1a("a"u8));
        Assert.AreEqual(0xBF9CF968u, Partitioning.Fnv1a("foobar"u8));
    }

    [TestMethod]
    public void Of_FixedSymbols_FixedPartitions()
    {
        // Pinned: a change here re-partitions every stored scan. Change the hash only with a new partition format version.
        Assert.AreEqual(11, Partitioning.Of("AAPL", 16));
        Assert.AreEqual(3, Partitioning.Of("MSFT", 16));
        Assert.AreEqual(56, Partitioning.Of("VOD.L", 64));
        Assert.AreEqual(0, Partitioning.Of("AAPL", 1));
    }

    [TestMethod]
    public void Of_NonAsciiSymbol_HashOfItsUtf8Bytes() =>
        Assert.AreEqual((int)(Partitioning.Fnv1a(Encoding.UTF8.GetBytes("ÄÖ株")) % 7), Partitioning.Of("ÄÖ株", 7));

    [TestMethod]
    public void WriteThenRead_RandomEventsAndNews_SameItemsInOrder()
    {
        for (var seed = 0; seed < 20; seed++)
        {
            var random = new Random(seed);
            var written = new EventCollector();
            for (var i = 0; i < random.Next(0, 500); i++)
            {
                if (random.Next(5) == 0)
                {
                    written.News.Add(RandomNews(random));
                }
                else
                {
                    written.Events.Add(RandomEvent(random));
                }
            }

            var read = RoundTrip(written);

            CollectionAssert.AreEqual(written.Events, read.Events, $"seed {seed}");
            CollectionAssert.AreEqual(written.News, read.News, $"seed {seed}");
        }
    }

    [TestMethod]
    public void WriteThenRead_AsRecords_TheSameEventsAsWritten()
    {
        // A scan reads partitions as records (bytes straight from the decoder's tables and id buffers); every field of
        // every record, decoded here without the readers' interning, must be what was written.
        for (var seed = 0; seed < 20; seed++)
        {
            var random = new Random(seed);
            var written = new EventCollector();
            for (var i = 0; i < random.Next(1, 500); i++)
            {
                written.Events.Add(RandomEvent(random));
            }

            var blob = new MemoryStream();
            using (var writer = new PartitionWriter(1, _ => blob))
            {
                written.Events.ForEach(e => writer.OnEvent(e));
                writer.Complete();
            }

            var records = new RecordCapture();
            PartitionReader.Read(new MemoryStream(blob.ToArray()), records);

            CollectionAssert.AreEqual(written.Events, records.Events, $"seed {seed}");
        }
    }

    /// <summary>Keeps each record handed over as a MarketEvent made with plain decoding (no pool).</summary>
    private sealed class RecordCapture : IEventRecordSink
    {
        public List<MarketEvent> Events { get; } = [];

        public void OnEvent(in EventRecord e) => Events.Add(new MarketEvent(
            e.Timestamp, Text(e.EventId), e.Type, Text(e.OrderId), Text(e.Account), Text(e.Owner), Text(e.Firm), Text(e.Trader),
            Text(e.Symbol), e.Side, e.Price, e.Quantity, Text(e.Venue), e.Capacity, Text(e.ExecId)));

        public void OnEvent(in MarketEvent marketEvent) => throw new AssertFailedException("a record sink is handed records");

        public void OnNews(in NewsEvent news)
        {
        }

        private static string Text(ReadOnlySpan<byte> utf8) => Encoding.UTF8.GetString(utf8);
    }

    [TestMethod]
    public void WriteThenRead_ValuesLongerThanTheBuffers_RoundTrip()
    {
        var written = new EventCollector();
        written.News.Add(new NewsEvent("AAPL", 1, new string('h', 200_000), 0.5));
        written.Events.Add(RandomEvent(new Random(1)) with { Symbol = "AAPL", Trader = new string('é', 100_000) });

        var read = RoundTrip(written);

        CollectionAssert.AreEqual(written.Events, read.Events);
        CollectionAssert.AreEqual(written.News, read.News);
    }

    [TestMethod]
    public void Write_ManySymbols_EachSymbolInExactlyItsOwnPartition()
    {
        const int Partitions = 8;
        var blobs = new Dictionary<int, MemoryStream>();
        var events = Enumerable.Range(0, 3000).Select(i => RandomEvent(new Random(i)) with { Symbol = $"S{i % 300}" }).ToList();

        IReadOnlyList<PartitionSummary> summaries;
        using (var writer = new PartitionWriter(Partitions, p => blobs[p] = new MemoryStream()))
        {
            events.ForEach(e => writer.OnEvent(e));
            summaries = writer.Complete();
        }

        var symbolsSeen = new Dictionary<string, int>();
        foreach (var (partition, blob) in blobs)
        {
            var items = new EventCollector();
            PartitionReader.Read(new MemoryStream(blob.ToArray()), items);
            foreach (var symbol in items.Events.Select(e => e.Symbol).Distinct())
            {
                Assert.IsTrue(symbolsSeen.TryAdd(symbol, partition), $"{symbol} is in partitions {symbolsSeen[symbol]} and {partition}");
                Assert.AreEqual(Partitioning.Of(symbol, Partitions), partition);
            }
        }

        Assert.HasCount(300, symbolsSeen);
        Assert.AreEqual(events.Count, summaries.Sum(s => s.Events));
        CollectionAssert.AreEqual(blobs.Keys.Order().ToArray(), summaries.Select(s => s.Partition).ToArray());
        Assert.IsTrue(summaries.All(s => s.Bytes == blobs[s.Partition].ToArray().Length));
    }

    [TestMethod]
    public void Write_FewSymbolsManyPartitions_OnlyPartitionsWithEventsOpened()
    {
        var opened = new List<int>();
        using var writer = new PartitionWriter(64, p =>
        {
            opened.Add(p);
            return new MemoryStream();
        });
        writer.OnEvent(RandomEvent(new Random(1)) with { Symbol = "AAPL" });
        writer.OnNews(new NewsEvent("AAPL", 1, "h", 1));

        var summaries = writer.Complete();

        CollectionAssert.AreEqual(new[] { Partitioning.Of("AAPL", 64) }, opened);
        Assert.AreEqual(new PartitionSummary(opened[0], 1, 1, summaries[0].Bytes), summaries.Single());
    }

    [TestMethod]
    public void Complete_NothingWritten_NoStreamOpened()
    {
        using var writer = new PartitionWriter(4, _ => throw new AssertFailedException("no partition has data"));

        Assert.IsEmpty(writer.Complete());
    }

    [TestMethod]
    public void Read_CutShortAnywhere_Refused()
    {
        var blob = Blob(RandomEvent(new Random(1)), RandomEvent(new Random(2)));

        for (var length = 0; length < blob.Length; length++)
        {
            Assert.ThrowsExactly<InvalidDataException>(() => PartitionReader.Read(new MemoryStream(blob[..length]), new EventCollector()), $"cut at {length}");
        }
    }

    [TestMethod]
    public void Read_CutBetweenRecords_RefusedAsCutShort()
    {
        var blob = Blob(RandomEvent(new Random(1)));
        var endRecord = Array.LastIndexOf(blob, (byte)0xFF);

        var e = Assert.ThrowsExactly<InvalidDataException>(() => PartitionReader.Read(new MemoryStream(blob[..endRecord]), new EventCollector()));

        Assert.AreEqual("The partition is cut short: it ends after 1 events and 0 news items, without its end record.", e.Message);
    }

    [TestMethod]
    public void Read_NotAPartition_RefusedClearly()
    {
        var e = Assert.ThrowsExactly<InvalidDataException>(() => PartitionReader.Read(new MemoryStream("timestamp,eventId\n"u8.ToArray()), new EventCollector()));

        Assert.AreEqual("This is not a fraud-scan partition: it does not start with 'FSEP'.", e.Message);
    }

    [TestMethod]
    public void Read_OtherVersion_RefusedSayingWhich()
    {
        var blob = Blob(RandomEvent(new Random(1)));
        blob[4] = 9;

        var e = Assert.ThrowsExactly<InvalidDataException>(() => PartitionReader.Read(new MemoryStream(blob), new EventCollector()));

        Assert.AreEqual("This partition is in format version 9; this code reads version 3.", e.Message);
    }

    [TestMethod]
    public void Read_BytesAfterTheEnd_Refused()
    {
        var blob = Blob(RandomEvent(new Random(1)));

        Assert.ThrowsExactly<InvalidDataException>(() => PartitionReader.Read(new MemoryStream([.. blob, 1]), new EventCollector()));
    }

    [TestMethod]
    public void Dispose_WithoutComplete_PartitionUnreadable()
    {
        var blob = new MemoryStream();
        using (var writer = new PartitionWriter(1, _ => blob))
        {
            for (var i = 0; i < 2000; i++)
            {
                writer.OnEvent(RandomEvent(new Random(i)));
            }
        }

        Assert.IsGreaterThan(0, blob.ToArray().Length, "full buffers were flushed");
        Assert.ThrowsExactly<InvalidDataException>(() => PartitionReader.Read(new MemoryStream(blob.ToArray()), new EventCollector()));
    }

    [TestMethod]
    public void ReadFileIntoPartitions_ThenReadBack_SameEventsAsTheFile()
    {
        var direct = new EventCollector();
        EventFileReader.Read(new GeneratedCsvStream(20_000), direct);
        var blobs = new Dictionary<int, MemoryStream>();

        using (var writer = new PartitionWriter(5, p => blobs[p] = new MemoryStream()))
        {
            EventFileReader.Read(new GeneratedCsvStream(20_000), writer);
            writer.Complete();
        }

        var back = new EventCollector();
        foreach (var blob in blobs.Values)
        {
            PartitionReader.Read(new MemoryStream(blob.ToArray()), back);
        }

        CollectionAssert.AreEquivalent(direct.Events, back.Events);
    }

    [TestMethod]
    public void WriteThenRead_GeneratedDay_EveryFieldOfEveryItemAsParsed()
    {
        const int Partitions = 4;
        var root = Path.Combine(Path.GetTempPath(), "partition-day-" + Guid.NewGuid().ToString("N"));
        var parsed = new EventCollector();
        var blobs = new Dictionary<int, MemoryStream>();
        try
        {
            MarketDayFiles.WriteRealistic(new MarketGenOptions { Events = 60_000, Seed = 7, Symbols = 40 }, root, OutputFormat.Csv, gzip: false);
            using var writer = new PartitionWriter(Partitions, p => blobs[p] = new MemoryStream());
            foreach (var file in new[] { "events.csv", "news.csv" })
            {
                using (var input = File.OpenRead(Path.Combine(root, file)))
                {
                    EventFileReader.Read(input, parsed);
                }

                using (var input = File.OpenRead(Path.Combine(root, file)))
                {
                    EventFileReader.Read(input, writer);
                }
            }

            writer.Complete();
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        Assert.IsGreaterThan(50_000, parsed.Events.Count);
        Assert.IsNotEmpty(parsed.News);
        for (var p = 0; p < Partitions; p++)
        {
            var read = new EventCollector();
            PartitionReader.Read(new MemoryStream(blobs[p].ToArray()), read);
            var expected = parsed.Events.Where(e => Partitioning.Of(e.Symbol, Partitions) == p).ToList();

            CollectionAssert.AreEqual(expected, read.Events, $"partition {p}");
            CollectionAssert.AreEqual(expected.Select(e => BitConverter.DoubleToInt64Bits(e.Price)).ToList(), read.Events.Select(e => BitConverter.DoubleToInt64Bits(e.Price)).ToList(), $"partition {p}");
            CollectionAssert.AreEqual(parsed.News.Where(n => Partitioning.Of(n.Symbol, Partitions) == p).ToList(), read.News, $"partition {p}");
            foreach (var field in new Func<MarketEvent, string>[] { e => e.Symbol, e => e.Account, e => e.Owner, e => e.Firm, e => e.Trader, e => e.Venue })
            {
                AssertOneInstancePerValue(read.Events.Select(field));
            }
        }
    }

    [TestMethod]
    public void WriteThenRead_AwkwardPrices_SameDoubleBitForBit()
    {
        double[] prices =
        [
            0, -0.0, 0.1, 0.01, 0.0001, 0.00015, 1e-9, 0.30000000000000004, 99.995, 100.07, 123456.789, 150.25, Math.PI,
            21_474_836.47, 90_071_992_547_409.91, 90_071_992_547_409.92, 900_719_925_474_099.2, 1e15, 1e300, -1.25,
            double.Epsilon, double.MaxValue, double.MinValue, double.NaN, double.PositiveInfinity, double.NegativeInfinity,
        ];
        var written = new EventCollector();
        var template = RandomEvent(new Random(3));
        written.Events.AddRange(prices.Select(price => template with { Price = price }));

        var read = RoundTrip(written);

        CollectionAssert.AreEqual(prices.Select(BitConverter.DoubleToInt64Bits).ToList(), read.Events.Select(e => BitConverter.DoubleToInt64Bits(e.Price)).ToList());
    }

    [TestMethod]
    public void WriteThenRead_MoreDistinctValuesThanTheTablesHold_RoundTrip()
    {
        // Past 65,536 table entries new accounts stay inline; the early ones are still referenced by index.
        var template = RandomEvent(new Random(4)) with { Symbol = "AAPL", Firm = "F1", Trader = "T1", Venue = "XNAS" };
        var written = new EventCollector();
        for (var i = 0; i < 70_000; i++)
        {
            var account = "A" + i;
            written.Events.Add(template with { Timestamp = i, EventId = "E" + i, Account = account, Owner = account });
        }

        var longValue = new string('v', 200);
        for (var i = 0; i < 10; i++)
        {
            written.Events.Add(template with { Account = "A" + (i * 7_000), Owner = "A" + (i * 7_000) });
            written.Events.Add(template with { Trader = longValue, Venue = "V" + (i % 2) });
        }

        var read = RoundTrip(written);

        CollectionAssert.AreEqual(written.Events, read.Events);
        Assert.AreSame(read.Events[0].Account, read.Events[70_000].Account, "A0 was kept in the table");
    }

    [TestMethod]
    public void WriteThenRead_WriterBudgetSpent_LaterValuesInline()
    {
        var events = Enumerable.Range(0, 600).Select(i => RandomEvent(new Random(i % 150)) with { Symbol = $"S{i % 30}" }).ToList();
        var blobs = new Dictionary<int, MemoryStream>();
        using (var writer = new PartitionWriter(3, p => blobs[p] = new MemoryStream(), tableEntries: 40))
        {
            events.ForEach(e => writer.OnEvent(e));
            writer.Complete();
        }

        foreach (var (partition, blob) in blobs)
        {
            var read = new EventCollector();
            PartitionReader.Read(new MemoryStream(blob.ToArray()), read);
            CollectionAssert.AreEqual(events.Where(e => Partitioning.Of(e.Symbol, 3) == partition).ToList(), read.Events);
        }
    }

    [TestMethod]
    public void Write_TypicalEvents_FewBytesEach()
    {
        // Guards the format's point: repeated values by index, ids by their changed suffix, prices as counts.
        var blobs = new Dictionary<int, MemoryStream>();
        IReadOnlyList<PartitionSummary> summaries;
        using (var writer = new PartitionWriter(4, p => blobs[p] = new MemoryStream()))
        {
            EventFileReader.Read(new GeneratedCsvStream(40_000), writer);
            summaries = writer.Complete();
        }

        var bytesPerEvent = (double)summaries.Sum(s => s.Bytes) / summaries.Sum(s => s.Events);

        Assert.IsLessThan(20.0, bytesPerEvent);
    }

    [TestMethod]
    public void Read_SmallPartitionCutAtEveryByte_Refused()
    {
        var blob = new MemoryStream();
        using (var writer = new PartitionWriter(1, _ => blob))
        {
            EventFileReader.Read(new GeneratedCsvStream(60), writer);
            writer.OnNews(new NewsEvent("SYM1", 5, "Profit warning", 0.8));
            writer.Complete();
        }

        var bytes = blob.ToArray();
        var whole = new EventCollector();
        PartitionReader.Read(new MemoryStream(bytes), whole);
        Assert.HasCount(60, whole.Events);

        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.ThrowsExactly<InvalidDataException>(() => PartitionReader.Read(new MemoryStream(bytes[..length]), new EventCollector()), $"cut at {length} of {bytes.Length}");
        }
    }

    [TestMethod]
    [DataRow(4, "a symbol")]
    [DataRow(5, "an account")]
    [DataRow(6, "a venue")]
    public void Read_TableIndexCorrupted_RefusedAsCorrupt(int offset, string field)
    {
        var (blob, second) = TwoIdenticalEvents();
        Assert.AreEqual(0, blob[second + offset], "a reference to the first entry");
        blob[second + offset] = 9;

        var e = Assert.ThrowsExactly<InvalidDataException>(() => PartitionReader.Read(new MemoryStream(blob), new EventCollector()));

        Assert.AreEqual($"The partition is corrupt: {field} refers to entry 9 of a string table of 1.", e.Message);
    }

    [TestMethod]
    public void Write_IdsDerivedFromALongFileName_SharedBeyond31Bytes_FewBytesAnIdAndReadBackExactly()
    {
        const string name = "2026-11-24/venue-xnas/session-regular/orders-and-trades.csv.gz";
        MarketEvent[] derived = [.. Enumerable.Range(2, 1000).Select(line => Event(line, $"{name}#{line}"))];
        MarketEvent[] numbered = [.. Enumerable.Range(2, 1000).Select(line => Event(line, $"E{line}"))];

        var blob = Blob(derived);
        var read = new EventCollector();
        PartitionReader.Read(new MemoryStream(blob), read);

        CollectionAssert.AreEqual(derived, read.Events);
        Assert.IsLessThan(3 * derived.Length, blob.Length - Blob(numbered).Length, "at most 3 bytes an id more than short ids");

        static MarketEvent Event(int line, string id) =>
            new(line, id, EventType.New, "O1", "ACC", "ACC", "F1", "", "AAPL", Side.Buy, 1, 1, "XNAS", Capacity.Client, "");
    }

    [TestMethod]
    public void Read_IdPrefixLongerThanThePreviousId_RefusedAsCorrupt()
    {
        var (blob, second) = TwoIdenticalEvents();
        Assert.AreEqual(2, blob[second + 7], "eventId E1: both bytes of the previous one, no new ones");
        blob[second + 7] = 30;

        var e = Assert.ThrowsExactly<InvalidDataException>(() => PartitionReader.Read(new MemoryStream(blob), new EventCollector()));

        Assert.AreEqual("The partition is corrupt: an eventId starts with 30 bytes of the previous one, which has 2.", e.Message);
    }

    [TestMethod]
    public void Read_SamePartyOnAnAccountsFirstEvent_RefusedAsCorrupt()
    {
        byte[] blob =
        [
            .. "FSEP"u8, 3,
            0x80 | 0x40 | 0x10, // An event: NEW, BUY, CLIENT, price in hundredths, owner, firm and trader as before.
            0, 100, 2, // Timestamp delta, price 1, quantity 1.
            0, 1, (byte)'S', 0, 1, (byte)'A', 0, 1, (byte)'V', // Symbol, account and venue, each new to its table.
            0, 0, 0, // eventId, orderId, execId: empty.
            0xFF, 1, 0,
        ];

        var e = Assert.ThrowsExactly<InvalidDataException>(() => PartitionReader.Read(new MemoryStream(blob), new EventCollector()));

        Assert.AreEqual("The partition is corrupt: an event repeats its account's owner, firm and trader, but the account has none before.", e.Message);
    }

    [TestMethod]
    public void Read_HandWrittenBlob_TheDocumentedFormat()
    {
        byte[] blob =
        [
            .. "FSEP"u8, 3,
            0x80 | 0x20 | 0x08 | 0x04 | 0x03, // An event: TRADE, SELL, PRINCIPAL, price in ten-thousandths.
            20, 0x97, 0x4E, 6, // Timestamp delta +10, price 1.0007 (10007), quantity 3.
            0, 1, (byte)'S', 0, 1, (byte)'A', 0, 1, (byte)'O', 0, 1, (byte)'F', 1, 1, (byte)'T', 0, 1, (byte)'V',
            2 << 5, (byte)'E', (byte)'1', 1 << 5, (byte)'O', 0,
            0x80 | 0x40, // An event: NEW, BUY, CLIENT, price as a double, owner, firm and trader as before.
            3, 0, 0, 0, 0, 0, 0, 0xF8, 0x3F, 0, // Timestamp delta −2, price 1.5, quantity 0.
            0, 0, 0, // Symbol S, account A, venue V.
            (1 << 5) | 1, (byte)'2', 1, 1 << 5, (byte)'X',
            0xFF, 2, 0,
        ];
        var read = new EventCollector();

        PartitionReader.Read(new MemoryStream(blob), read);

        CollectionAssert.AreEqual(
            new[]
            {
                new MarketEvent(10, "E1", EventType.Trade, "O", "A", "O", "F", "T", "S", Side.Sell, 1.0007, 3, "V", Capacity.Principal, ""),
                new MarketEvent(8, "E2", EventType.New, "O", "A", "O", "F", "T", "S", Side.Buy, 1.5, 0, "V", Capacity.Client, "X"),
            },
            read.Events);
    }

    /// <summary>
    /// A partition of the same event twice, and where the second record starts. Its layout: tag, timestamp delta 0, price
    /// 1 (100 hundredths), quantity 1 (zigzag 2), then symbol, account and venue as references to entry 0 (owner, firm
    /// and trader left out as the account's), then eventId, orderId and execId each all prefix.
    /// </summary>
    private static (byte[] Blob, int Second) TwoIdenticalEvents()
    {
        var e = new MarketEvent(1, "E1", EventType.New, "O1", "ACC", "OWN", "F1", "T1", "AAPL", Side.Buy, 1, 1, "XNAS", Capacity.Client, "");
        var one = Blob(e);
        var two = Blob(e, e);
        var second = one.Length - 3; // The end record (tag, 1, 0) of the blob with one event.
        CollectionAssert.AreEqual(new byte[] { 0, 100, 2, 0, 0, 0, 2, 2, 0 }, two[(second + 1)..(second + 10)], "the layout this test corrupts");
        return (two, second);
    }

    /// <summary>Each field's table gives one string per distinct value of that field.</summary>
    private static void AssertOneInstancePerValue(IEnumerable<string> values)
    {
        var first = new Dictionary<string, string>();
        foreach (var value in values)
        {
            Assert.AreSame(first.TryAdd(value, value) ? value : first[value], value, value);
        }
    }

    private static EventCollector RoundTrip(EventCollector written)
    {
        var blob = new MemoryStream();
        using (var writer = new PartitionWriter(1, _ => blob))
        {
            written.Events.ForEach(e => writer.OnEvent(e));
            written.News.ForEach(n => writer.OnNews(n));
            writer.Complete();
        }

        var read = new EventCollector();
        var counts = PartitionReader.Read(new MemoryStream(blob.ToArray()), read);
        Assert.AreEqual(new PartitionCounts(written.Events.Count, written.News.Count), counts);
        return read;
    }

    private static byte[] Blob(params MarketEvent[] events)
    {
        var blob = new MemoryStream();
        using var writer = new PartitionWriter(1, _ => blob);
        foreach (var e in events)
        {
            writer.OnEvent(e);
        }

        writer.Complete();
        return blob.ToArray();
    }

    private static MarketEvent RandomEvent(Random random) => new(
        random.NextInt64(),
        RandomText(random),
        (EventType)random.Next(4),
        RandomText(random),
        RandomText(random),
        RandomText(random),
        RandomText(random),
        RandomText(random),
        RandomText(random),
        (Side)random.Next(2),
        random.Next(3) == 0 ? random.Next(1000) : random.NextDouble() * 1e6,
        random.Next(2) == 0 ? random.Next(1000) : random.NextInt64(long.MinValue, long.MaxValue),
        RandomText(random),
        (Capacity)random.Next(2),
        RandomText(random));

    private static NewsEvent RandomNews(Random random) => new(RandomText(random), random.NextInt64(), RandomText(random), random.NextDouble());

    /// <summary>Empty, ASCII, or any Unicode (valid UTF-16, so it survives UTF-8), up to 300 chars.</summary>
    private static string RandomText(Random random)
    {
        var length = random.Next(3) == 0 ? 0 : random.Next(1, 300);
        var text = new StringBuilder(length);
        while (text.Length < length)
        {
            var codePoint = random.Next(2) == 0 ? random.Next(32, 127) : random.Next(0x20, 0x10FFFF);
            if (codePoint is < 0xD800 or > 0xDFFF)
            {
                text.Append(char.ConvertFromUtf32(codePoint));
            }
        }

        return text.ToString();
    }
}

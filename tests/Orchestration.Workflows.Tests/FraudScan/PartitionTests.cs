using System.Text;
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

        Assert.AreEqual("This partition is in format version 9; this code reads version 1.", e.Message);
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

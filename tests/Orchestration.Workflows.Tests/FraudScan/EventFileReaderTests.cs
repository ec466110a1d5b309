using System.Text;
using Orchestration.Workflows.FraudScan;
using static Orchestration.Workflows.Tests.FraudScan.EventFiles;

namespace Orchestration.Workflows.Tests.FraudScan;

[TestClass]
public sealed class EventFileReaderTests
{
    [TestMethod]
    public void Read_CsvEvent_EveryFieldParsed()
    {
        var (verdict, items) = Read(Csv(
            NewOrder,
            "2026-11-25T14:30:01Z,E2,fill,O1,ACC1,OWN9,FIRM1,,AAPL,s,101.5,40,XNAS,PRINCIPAL,X77"));

        var accepted = AssertAccepted(verdict);
        Assert.AreEqual((EventFileKind.Events, EventFileFormat.Csv, false), (accepted.Kind, accepted.Format, accepted.Compressed));
        Assert.AreEqual((3L, 2L, 0L, 0L), (accepted.Lines, accepted.Events, accepted.News, accepted.BadLineCount));
        var expectedTime = new DateTime(2026, 11, 25, 14, 30, 0, DateTimeKind.Utc).Ticks + 1_234_567;
        Assert.AreEqual(
            new MarketEvent(expectedTime, "E1", EventType.New, "O1", "ACC1", "ACC1", "FIRM1", "T1", "AAPL", Side.Buy, 101.25, 100, "XNAS", Capacity.Client, ""),
            items.Events[0]);
        Assert.AreEqual(
            new MarketEvent(expectedTime - 1_234_567 + TimeSpan.TicksPerSecond, "E2", EventType.Trade, "O1", "ACC1", "OWN9", "FIRM1", "", "AAPL", Side.Sell, 101.5, 40, "XNAS", Capacity.Principal, "X77"),
            items.Events[1]);
    }

    [TestMethod]
    public void Read_RepeatedValues_InternedToOneInstance()
    {
        var (_, items) = Read(Csv(NewOrder, NewOrder.Replace("E1", "E2", StringComparison.Ordinal)));

        Assert.AreSame(items.Events[0].Symbol, items.Events[1].Symbol);
        Assert.AreSame(items.Events[0].Account, items.Events[1].Account);
        Assert.AreSame(items.Events[0].Venue, items.Events[1].Venue);
    }

    [TestMethod]
    public void Read_HeaderInAnotherOrderAndCaseWithExtraColumns_Read()
    {
        var (verdict, items) = Read(
            "Venue,SYMBOL,note,Side,Quantity,Price,Type,OrderId,EventId,Account,Firm,Timestamp\n"
            + "XLON,VOD,hello,SELL,5,2.5,CANCEL,O9,E9,A,F,2026-01-02T03:04:05.6Z\n");

        Assert.AreEqual(1, AssertAccepted(verdict).Events);
        var e = items.Events[0];
        Assert.AreEqual(("VOD", Side.Sell, 5L, 2.5, EventType.Cancel, "A"), (e.Symbol, e.Side, e.Quantity, e.Price, e.Type, e.Owner));
        Assert.AreEqual(new DateTime(2026, 1, 2, 3, 4, 5, 600, DateTimeKind.Utc), e.Time);
    }

    [TestMethod]
    public void Read_TypeAndSideSynonyms_Accepted()
    {
        var (_, items) = Read(Csv(
            Event("E1", type: "NEW_ORDER", side: "B"),
            Event("E2", type: "replace", side: "sell"),
            Event("E3", type: "Cancel", side: "S", price: "")));

        CollectionAssert.AreEqual(new[] { EventType.New, EventType.Modify, EventType.Cancel }, items.Events.Select(e => e.Type).ToArray());
        CollectionAssert.AreEqual(new[] { Side.Buy, Side.Sell, Side.Sell }, items.Events.Select(e => e.Side).ToArray());
        Assert.AreEqual(0, items.Events[2].Price);
    }

    [TestMethod]
    public void Read_TimestampVariants_AllUtc()
    {
        var (verdict, items) = Read(Csv(
            Event("E1", timestamp: "2026-11-25T14:30:00Z"),
            Event("E2", timestamp: "2026-11-25T14:30:00.5+00:00"),
            Event("E3", timestamp: "2026-11-25T15:30:00.5+01:00"),
            Event("E4", timestamp: "2026-11-25 14:30:00.123Z")));

        Assert.AreEqual(0, AssertAccepted(verdict).BadLineCount, string.Join("; ", verdict.BadLines));
        var start = new DateTime(2026, 11, 25, 14, 30, 0, DateTimeKind.Utc);
        CollectionAssert.AreEqual(
            new[] { start, start.AddMilliseconds(500), start.AddMilliseconds(500), start.AddMilliseconds(123) },
            items.Events.Select(e => e.Time).ToArray());
    }

    [TestMethod]
    [DataRow("quantity", "abc", "quantity 'abc' is not a whole number")]
    [DataRow("quantity", "1.5", "quantity '1.5' is not a whole number")]
    [DataRow("quantity", "0", "quantity 0 must be above 0")]
    [DataRow("price", "12,5", "16 columns, the header has 15")]
    [DataRow("price", "1O1.5", "price '1O1.5' is not a number")]
    [DataRow("price", "-3", "price -3 must be above 0")]
    [DataRow("price", "", "missing price (required for NEW)")]
    [DataRow("type", "TRADEX", "unknown type 'TRADEX' (NEW, CANCEL, MODIFY, TRADE)")]
    [DataRow("side", "SHORT", "side 'SHORT' is not BUY or SELL (or B, S)")]
    [DataRow("capacity", "AGENT", "capacity 'AGENT' is not CLIENT or PRINCIPAL")]
    [DataRow("eventId", "", "missing eventId")]
    [DataRow("venue", " ", "missing venue")]
    [DataRow("timestamp", "2026-11-25T14:30:00", "timestamp '2026-11-25T14:30:00' has no time zone: give it in UTC with a Z, e.g. 2026-11-25T14:30:00.123Z")]
    [DataRow("timestamp", "25/11/2026 14:30Z", "timestamp '25/11/2026 14:30Z' is not an ISO-8601 UTC time such as 2026-11-25T14:30:00.123Z")]
    [DataRow("timestamp", "2026-02-30T14:30:00Z", "timestamp '2026-02-30T14:30:00Z' is not an ISO-8601 UTC time such as 2026-11-25T14:30:00.123Z")]
    public void Read_BadValue_LineReportedWithReasonAndReadContinues(string column, string value, string reason)
    {
        var bad = column switch
        {
            "quantity" => Event("E2", quantity: value),
            "price" => Event("E2", price: value),
            "type" => Event("E2", type: value),
            "side" => Event("E2", side: value),
            "capacity" => Event("E2", capacity: value),
            "eventId" => Event(value),
            "venue" => Event("E2", venue: value),
            _ => Event("E2", timestamp: value),
        };

        var text = Csv(Event("E1"), bad, Event("E3"));

        AssertOneBadLine(text, 3, reason);
        CollectionAssert.AreEqual(new[] { "E1", "E3" }, Read(text).Items.Events.Select(e => e.EventId).ToArray());
    }

    [TestMethod]
    public void Read_Cancel_QuantityZeroAndNoPriceAllowed()
    {
        var (verdict, items) = Read(Csv(Event("E1", type: "CANCEL", quantity: "0", price: "")));

        Assert.AreEqual(1, AssertAccepted(verdict).Events);
        Assert.AreEqual((0L, 0.0), (items.Events[0].Quantity, items.Events[0].Price));
    }

    [TestMethod]
    public void Read_TooManyColumns_BadLine() =>
        AssertOneBadLine(Csv(Event("E1") + ",extra", Event("E2")), 2, "16 columns, the header has 15");

    [TestMethod]
    public void Read_InvalidUtf8_BadLine()
    {
        var bytes = Encoding.UTF8.GetBytes(Csv(Event("E1"), Event("E2"), Event("E3")));
        var secondLine = Array.IndexOf(bytes, (byte)'E', Encoding.UTF8.GetByteCount(Csv(Event("E1"))));
        bytes[secondLine] = 0xC3; // a lead byte without its continuation

        var accepted = AssertAccepted(Read(bytes).Verdict);

        Assert.AreEqual(new BadLine(3, "not valid UTF-8"), accepted.BadLines.Single());
        Assert.AreEqual(2, accepted.Events);
    }

    [TestMethod]
    public void Read_LineOverTheLimit_BadLineAndNextLineRead()
    {
        var text = Csv(Event("E1", trader: new string('x', EventFileReader.MaxLineBytes + 10)), Event("E2"));

        AssertOneBadLine(text, 2, $"longer than {EventFileReader.MaxLineBytes} bytes");
        Assert.AreEqual("E2", Read(text).Items.Events.Single().EventId);
    }

    [TestMethod]
    public void Read_ManyBadLines_AllCountedFirst100Kept()
    {
        var lines = Enumerable.Range(0, 250).Select(i => Event($"E{i}", quantity: i % 2 == 0 ? "x" : "1")).ToArray();

        var accepted = AssertAccepted(Read(Csv(lines)).Verdict);

        Assert.AreEqual((125L, 125L), (accepted.Events, accepted.BadLineCount));
        Assert.HasCount(EventFileReader.MaxBadLinesKept, accepted.BadLines);
        Assert.AreEqual(2, accepted.BadLines[0].Line);
        Assert.AreEqual(200, accepted.BadLines[^1].Line);
        Assert.AreEqual("line 2: quantity 'x' is not a whole number", accepted.BadLines[0].ToString());
    }

    [TestMethod]
    public void Read_BomAndCrlf_Read()
    {
        var text = "\uFEFF" + Csv(Event("E1"), Event("E2")).Replace("\n", "\r\n", StringComparison.Ordinal);

        var (verdict, items) = Read(text);

        Assert.AreEqual((2L, 0L), (AssertAccepted(verdict).Events, verdict.BadLineCount));
        Assert.AreEqual("E2", items.Events[1].EventId);
        Assert.AreEqual("", items.Events[1].ExecId, "the CR is not part of the last field");
    }

    [TestMethod]
    public void Read_NoFinalNewlineAndBlankLines_EveryEventRead()
    {
        var (verdict, items) = Read(Header + "\n\n" + Event("E1") + "\n   \n" + Event("E2"));

        var accepted = AssertAccepted(verdict);
        Assert.AreEqual((5L, 2L, 0L), (accepted.Lines, accepted.Events, accepted.BadLineCount));
        Assert.AreEqual("E2", items.Events[1].EventId);
    }

    [TestMethod]
    public void Read_Gzip_DecompressedAndReportedCompressed()
    {
        var gzip = Gzip(Encoding.UTF8.GetBytes("\uFEFF" + Csv(Event("E1"), Event("E2"))));

        var (verdict, items) = Read(gzip);

        var accepted = AssertAccepted(verdict);
        Assert.IsTrue(accepted.Compressed);
        Assert.AreEqual(2, accepted.Events);
        Assert.AreEqual("E1", items.Events[0].EventId);
    }

    [TestMethod]
    public void Read_CorruptGzip_Rejected()
    {
        var gzip = Gzip(Encoding.UTF8.GetBytes(Csv(Enumerable.Range(0, 1000).Select(i => Event($"E{i}")).ToArray())));
        for (var i = 20; i < gzip.Length - 10; i += 7)
        {
            gzip[i] ^= 0x5A;
        }

        var rejected = AssertRejected(Read(gzip).Verdict, EventFileRejection.CorruptGzip);

        StringAssert.StartsWith(rejected.Reason, "The file is gzip-compressed but cannot be decompressed after line ");
    }

    [TestMethod]
    [DataRow(0.0, 2)]
    [DataRow(0.0, 11)]
    [DataRow(0.0, 19)]
    [DataRow(0.25, 0)]
    [DataRow(0.5, 0)]
    [DataRow(0.999, 0)]
    [DataRow(1.0, -9)]
    [DataRow(1.0, -8)]
    [DataRow(1.0, -4)]
    [DataRow(1.0, -1)]
    public void Read_GzipCutShort_RejectedAsCorruptGzipWithTheLineItReached(double fraction, int plus)
    {
        var whole = Gzip(Encoding.UTF8.GetBytes(Csv(Enumerable.Range(0, 20_000).Select(i => Event($"E{i}")).ToArray())));
        var cut = (int)(whole.Length * fraction) + plus;

        var (verdict, _) = Read(whole[..cut]);

        var rejected = AssertRejected(verdict, EventFileRejection.CorruptGzip);
        Assert.AreEqual(
            $"The file is gzip-compressed but cannot be decompressed after line {rejected.Lines}: the file ends before its gzip stream does: it was cut short (upload the whole file again)",
            rejected.Reason);
        Assert.IsTrue(rejected.Lines <= 20_001, "a line of the file (the header and 20,000 events), never past it");
        Assert.AreEqual(20_000L, AssertAccepted(Read(whole).Verdict).Events, "the whole file reads");
    }

    [TestMethod]
    public void Read_ConcatenatedGzipMembers_ReadAsOneFile_AndCutShortInTheLastRejected()
    {
        var events = Enumerable.Range(0, 3000).Select(i => Event($"E{i}")).ToArray();
        var first = Gzip(Encoding.UTF8.GetBytes(Csv(events[..1000])));
        var second = GzipAt(Encoding.UTF8.GetBytes(string.Join('\n', events[1000..2000]) + "\n"), System.IO.Compression.CompressionLevel.Optimal);
        var empty = Gzip([]);
        // Stored (uncompressed) blocks whose data holds 1F 8B 08, which looks like a member header: a bad line, not a new member.
        var stored = GzipAt([.. Encoding.UTF8.GetBytes(string.Join('\n', events[2000..]) + "\n"), 0x1F, 0x8B, 0x08, 0x00, (byte)'\n'], System.IO.Compression.CompressionLevel.NoCompression);
        byte[] file = [.. first, .. second, .. empty, .. stored];

        var accepted = AssertAccepted(Read(file).Verdict);
        Assert.AreEqual((3000L, 1L), (accepted.Events, accepted.BadLineCount), string.Join("; ", accepted.BadLines));

        byte[] cutInTheLast = [.. first, .. second[..(second.Length / 2)]];
        AssertRejected(Read(cutInTheLast).Verdict, EventFileRejection.CorruptGzip);
        byte[] lastTrailerCut = [.. first, .. second[..^1]];
        AssertRejected(Read(lastTrailerCut).Verdict, EventFileRejection.CorruptGzip);
    }

    [TestMethod]
    public void Read_SecondGzipMemberStartingAroundTheEndOfAnInputChunk_ReadAsOneFile()
    {
        const int chunk = 64 * 1024;
        var second = Gzip(Encoding.UTF8.GetBytes(Event("E2") + "\n"));
        for (var target = chunk - 4; target <= chunk + 2; target++)
        {
            // A stored (uncompressed) first member of exactly target bytes: its size follows the padding one for one.
            var padding = chunk - 2000;
            var first = StoredMember(padding);
            padding += target - first.Length;
            first = StoredMember(padding);
            Assert.HasCount(target, first);

            var accepted = AssertAccepted(Read([.. first, .. second]).Verdict);

            Assert.AreEqual((2L, 0L), (accepted.Events, accepted.BadLineCount), $"second member at {target}");
        }

        static byte[] StoredMember(int padding) =>
            GzipAt(Encoding.UTF8.GetBytes(Csv(Event("E1")) + new string(' ', padding) + "\n"), System.IO.Compression.CompressionLevel.NoCompression);
    }

    [TestMethod]
    public void Read_DamagedGzip_TheSameLineWhateverSizesTheInputArrivesIn()
    {
        var gzip = Gzip(Encoding.UTF8.GetBytes(Csv(Enumerable.Range(0, 50_000).Select(i => Event($"E{i}")).ToArray())));
        gzip[gzip.Length / 2] ^= 0x10;

        var reasons = new HashSet<string>();
        for (var seed = 1; seed <= 6; seed++)
        {
            using var input = new UnevenStream(gzip, new Random(seed));
            var rejected = AssertRejected(EventFileReader.Read(input, new EventCollector()), EventFileRejection.CorruptGzip);
            reasons.Add(rejected.Reason);
        }

        Assert.HasCount(1, reasons, string.Join("\n", reasons));
        StringAssert.Contains(reasons.Single(), "its compressed data is damaged");
    }

    static byte[] GzipAt(byte[] bytes, System.IO.Compression.CompressionLevel level)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(compressed, level))
        {
            gzip.Write(bytes);
        }

        return compressed.ToArray();
    }

    /// <summary>Hands out its bytes in reads of random sizes, as a network stream does.</summary>
    sealed class UnevenStream(byte[] bytes, Random random) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, random.Next(1, 70_000)));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, random.Next(1, 70_000))]);
    }

    [TestMethod]
    public void Read_CsvWithoutEventIdColumn_EachEventsIdIsItsBlobAndLine()
    {
        const string header = "timestamp,type,orderId,account,owner,firm,trader,symbol,side,price,quantity,venue,capacity,execId";
        const string line = "2026-11-25T14:30:00Z,NEW,O1,ACC1,,FIRM1,T1,AAPL,BUY,101.25,100,XNAS,,";
        var text = string.Join('\n', header, line, "", line, "2026-11-25T14:30:00Z,NEW,O1,ACC1,,FIRM1,T1,AAPL,BUY,abc,100,XNAS,,", line) + "\n";

        var (verdict, items) = Read(Encoding.UTF8.GetBytes(text), "2026-11-25/xnas désk.csv");

        Assert.AreEqual((3L, 1L), (AssertAccepted(verdict).Events, verdict.BadLineCount));
        CollectionAssert.AreEqual(
            new[] { "2026-11-25/xnas désk.csv#2", "2026-11-25/xnas désk.csv#4", "2026-11-25/xnas désk.csv#6" },
            items.Events.Select(e => e.EventId).ToArray(),
            "the physical line, as bad lines are numbered: blank and bad lines count");
        Assert.AreEqual(
            "missing eventId",
            Read(Encoding.UTF8.GetBytes(text)).Verdict.BadLines[0].Reason,
            "without a file name there is nothing to derive from");
    }

    [TestMethod]
    public void Read_JsonLinesWithoutEventId_DerivedPerObject_AndACsvEventIdColumnStillRequiresOne()
    {
        const string json = "{\"timestamp\":\"2026-11-25T14:30:00Z\",\"type\":\"NEW\",\"orderId\":\"O1\",\"account\":\"A\",\"firm\":\"F\",\"symbol\":\"S\",\"side\":\"B\",\"price\":1,\"quantity\":1,\"venue\":\"V\"}";
        var text = json + "\n" + json.Replace("{", "{\"eventId\":\"own\",", StringComparison.Ordinal) + "\n" + json + "\n";

        var (_, items) = Read(Encoding.UTF8.GetBytes(text), "feed.jsonl");

        CollectionAssert.AreEqual(new[] { "feed.jsonl#1", "own", "feed.jsonl#3" }, items.Events.Select(e => e.EventId).ToArray());
        var csv = AssertAccepted(Read(Encoding.UTF8.GetBytes(Csv(Event("E1"), Event(""))), "day.csv").Verdict);
        Assert.AreEqual(new BadLine(3, "missing eventId"), csv.BadLines.Single(), "a file that has the column gives every event its id");
    }

    [TestMethod]
    public void Read_QuotedCsv_CommasAndQuotesKept()
    {
        var (verdict, items) = Read(
            "symbol,timestamp,headline,materiality\n"
            + "AAPL,2026-11-25T13:00:00Z,\"Apple to buy \"\"Acme, Inc.\"\" for $2bn\",0.9\n"
            + "\"MSFT\",2026-11-25T13:05:00Z,\"\"\"Buy\"\"\",0\n");

        var accepted = AssertAccepted(verdict);
        Assert.AreEqual(EventFileKind.News, accepted.Kind);
        Assert.AreEqual(0, accepted.BadLineCount, string.Join("; ", accepted.BadLines));
        Assert.AreEqual(new NewsEvent("AAPL", new DateTime(2026, 11, 25, 13, 0, 0, DateTimeKind.Utc).Ticks, "Apple to buy \"Acme, Inc.\" for $2bn", 0.9), items.News[0]);
        Assert.AreEqual(("MSFT", "\"Buy\""), (items.News[1].Symbol, items.News[1].Headline));
    }

    [TestMethod]
    public void Read_NewsWithoutHeadline_BadLine() =>
        AssertOneBadLine("symbol,timestamp,headline,materiality\nAAPL,2026-11-25T13:00:00Z,,0.5\nAAPL,2026-11-25T13:00:00Z,Q3,0.5\n", 2, "missing headline");

    [TestMethod]
    [DataRow("AAPL,2026-11-25T13:00:00Z,\"Apple, again,0.5", "the quote opened in column 3 is not closed (line breaks inside quoted fields are not supported)")]
    [DataRow("AAPL,2026-11-25T13:00:00Z,\"Apple\" Inc,0.5", "text after the closing quote in column 3")]
    [DataRow("AAPL,2026-11-25T13:00:00Z,Apple \"Inc\",0.5", "a quote inside unquoted column 3 (quote the whole field and double the quote: \"a \"\"b\"\" c\")")]
    [DataRow("AAPL,2026-11-25T13:00:00Z,Apple,1.5", "materiality '1.5' is not a number from 0 to 1, or low, medium, high")]
    public void Read_BadNewsLine_Reason(string line, string reason) =>
        AssertOneBadLine($"symbol,timestamp,headline,materiality\nMSFT,2026-11-25T13:00:00Z,ok,0.1\n{line}\n", 3, reason);

    [TestMethod]
    [DataRow("low", 0.3)]
    [DataRow("LOW", 0.3)]
    [DataRow("Medium", 0.6)]
    [DataRow("mEdIuM", 0.6)]
    [DataRow("high", 0.9)]
    [DataRow("HIGH", 0.9)]
    [DataRow("0.65", 0.65)]
    [DataRow("1", 1.0)]
    [DataRow("0", 0.0)]
    public void Read_CsvNewsMaterialityWordOrNumber_Mapped(string materiality, double expected)
    {
        var (verdict, items) = Read($"symbol,timestamp,headline,materiality\nAAPL,2026-11-25T13:00:00Z,Q3 beat,{materiality}\n");

        Assert.AreEqual(0, AssertAccepted(verdict).BadLineCount, string.Join("; ", verdict.BadLines));
        Assert.AreEqual(expected, items.News.Single().Materiality);
    }

    [TestMethod]
    [DataRow("\"low\"", 0.3)]
    [DataRow("\"Low\"", 0.3)]
    [DataRow("\"MEDIUM\"", 0.6)]
    [DataRow("\"high\"", 0.9)]
    [DataRow("\"hIGH\"", 0.9)]
    [DataRow("0.9", 0.9)]
    [DataRow("\"0.9\"", 0.9)]
    [DataRow("0", 0.0)]
    public void Read_JsonNewsMaterialityWordOrNumber_Mapped(string materiality, double expected)
    {
        var (verdict, items) = Read($"{{\"symbol\":\"AAPL\",\"timestamp\":\"2026-11-25T13:00:00Z\",\"headline\":\"Q3 beat\",\"materiality\":{materiality}}}\n");

        Assert.AreEqual(0, AssertAccepted(verdict).BadLineCount, string.Join("; ", verdict.BadLines));
        Assert.AreEqual(expected, items.News.Single().Materiality);
    }

    [TestMethod]
    [DataRow("extreme", "materiality 'extreme' is not a number from 0 to 1, or low, medium, high")]
    [DataRow("Highest", "materiality 'Highest' is not a number from 0 to 1, or low, medium, high")]
    [DataRow("1.5", "materiality '1.5' is not a number from 0 to 1, or low, medium, high")]
    [DataRow("-0.1", "materiality '-0.1' is not a number from 0 to 1, or low, medium, high")]
    [DataRow("", "missing materiality (a number from 0 to 1, or low, medium, high)")]
    public void Read_CsvNewsBadMateriality_ReasonNamesTheForms(string materiality, string reason) =>
        AssertOneBadLine($"symbol,timestamp,headline,materiality\nMSFT,2026-11-25T13:00:00Z,ok,high\nAAPL,2026-11-25T13:00:00Z,Q3,{materiality}\n", 3, reason);

    [TestMethod]
    [DataRow("\"extreme\"", "materiality 'extreme' is not a number from 0 to 1, or low, medium, high")]
    [DataRow("1.5", "materiality '1.5' is not a number from 0 to 1, or low, medium, high")]
    [DataRow("\"\"", "missing materiality (a number from 0 to 1, or low, medium, high)")]
    [DataRow("null", "missing materiality (a number from 0 to 1, or low, medium, high)")]
    public void Read_JsonNewsBadMateriality_ReasonNamesTheForms(string materiality, string reason)
    {
        const string Good = "{\"symbol\":\"MSFT\",\"timestamp\":\"2026-11-25T13:00:00Z\",\"headline\":\"ok\",\"materiality\":\"low\"}";

        AssertOneBadLine($"{Good}\n{{\"symbol\":\"AAPL\",\"timestamp\":\"2026-11-25T13:00:00Z\",\"headline\":\"Q3\",\"materiality\":{materiality}}}\n", 2, reason);
    }

    [TestMethod]
    public void Read_JsonLines_NumbersAsNumbersOrStrings()
    {
        var (verdict, items) = Read(
            """
            {"timestamp":"2026-11-25T14:30:00.25Z","eventId":"E1","type":"NEW","orderId":"O1","account":"A","firm":"F","symbol":"AAPL","side":"BUY","price":101.5,"quantity":100,"venue":"XNAS","extra":{"nested":[1,2]}}
            {"Timestamp":"2026-11-25T14:30:01Z","EVENTID":"E\u0032","type":"TRADE","orderId":"O1","account":"A","owner":null,"firm":"F","symbol":"AAPL","side":"S","price":"101.5","quantity":"10","venue":"XNAS","execId":"X1"}
            """);

        var accepted = AssertAccepted(verdict);
        Assert.AreEqual((EventFileFormat.JsonLines, EventFileKind.Events, 2L, 0L), (accepted.Format, accepted.Kind, accepted.Events, accepted.BadLineCount));
        Assert.AreEqual(("E1", 101.5, 100L), (items.Events[0].EventId, items.Events[0].Price, items.Events[0].Quantity));
        Assert.AreEqual(("E2", "A", 10L, "X1"), (items.Events[1].EventId, items.Events[1].Owner, items.Events[1].Quantity, items.Events[1].ExecId));
    }

    [TestMethod]
    [DataRow("{\"timestamp\":\"2026-11-25T14:30:00Z\",\"eventId\":\"E2\"", "not valid JSON (at byte 51)")]
    [DataRow("[1,2]", "not a JSON object")]
    [DataRow("{\"eventId\":\"E2\"} {}", "not valid JSON (at byte 18)")]
    [DataRow("{\"eventId\":\"E2\",\"price\":true}", "price must be a string or a number, not true or false")]
    [DataRow("{\"eventId\":\"E2\",\"type\":\"NEW\"}", "missing timestamp")]
    public void Read_BadJsonLine_Reason(string line, string reason)
    {
        const string Good = "{\"timestamp\":\"2026-11-25T14:30:00Z\",\"eventId\":\"E1\",\"type\":\"CANCEL\",\"orderId\":\"O1\",\"account\":\"A\",\"firm\":\"F\",\"symbol\":\"S\",\"side\":\"B\",\"quantity\":0,\"venue\":\"V\"}";

        AssertOneBadLine($"{Good}\n{line}\n{Good}\n", 2, reason);
    }

    [TestMethod]
    public void Read_JsonNews_Read()
    {
        var (verdict, items) = Read("{\"symbol\":\"AAPL\",\"timestamp\":\"2026-11-25T13:00:00Z\",\"headline\":\"Q3 beat\",\"materiality\":0.75}\n");

        Assert.AreEqual(EventFileKind.News, AssertAccepted(verdict).Kind);
        Assert.AreEqual(new NewsEvent("AAPL", new DateTime(2026, 11, 25, 13, 0, 0, DateTimeKind.Utc).Ticks, "Q3 beat", 0.75), items.News.Single());
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("\uFEFF")]
    public void Read_EmptyFile_Rejected(string text) =>
        Assert.AreEqual("The file is empty (0 bytes).", AssertRejected(Read(text).Verdict, EventFileRejection.Empty).Reason);

    [TestMethod]
    public void Read_OnlyBlankLines_Rejected() =>
        Assert.AreEqual("The file has only blank lines.", AssertRejected(Read("\n \r\n\t\n").Verdict, EventFileRejection.Empty).Reason);

    [TestMethod]
    public void Read_HeaderOnly_Rejected() =>
        Assert.AreEqual("The file has a header row but no events.", AssertRejected(Read(Csv()).Verdict, EventFileRejection.NoValidLines).Reason);

    [TestMethod]
    public void Read_TextFile_RejectedNamingTheMissingColumns()
    {
        var rejected = AssertRejected(Read("Dear analyst,\nplease find the trades attached.\n").Verdict, EventFileRejection.UnrecognisedColumns);

        StringAssert.StartsWith(rejected.Reason, "The first line is not a header row of events or news. Event files need the columns timestamp, type, orderId, account, firm, symbol, side, quantity, venue (missing here: timestamp,");
        StringAssert.Contains(rejected.Reason, "news files need symbol, timestamp, headline, materiality (missing here: symbol, timestamp, headline, materiality)");
        StringAssert.EndsWith(rejected.Reason, "The first line was: 'Dear analyst,'.");
    }

    [TestMethod]
    public void Read_HeaderMissingAColumn_RejectedSayingWhich()
    {
        var rejected = AssertRejected(Read(Csv(Event("E1")).Replace(",venue,", ",place,", StringComparison.Ordinal)).Verdict, EventFileRejection.UnrecognisedColumns);

        StringAssert.Contains(rejected.Reason, "(missing here: venue)");
    }

    [TestMethod]
    public void Read_JsonOfSomethingElse_Rejected()
    {
        var rejected = AssertRejected(Read("{\"name\":\"Ada\",\"age\":36}\n").Verdict, EventFileRejection.UnrecognisedColumns);

        StringAssert.StartsWith(rejected.Reason, "The first JSON object is neither an event nor a news item.");
    }

    [TestMethod]
    public void Read_Png_RejectedAsNotText()
    {
        byte[] png = [0x89, .. "PNG\r\n"u8, 0x1A, (byte)'\n', 0, 0, 0, 0x0D, .. "IHDR"u8, 0, 0, 1, 0];

        var rejected = AssertRejected(Read(png).Verdict, EventFileRejection.NotText);

        StringAssert.StartsWith(rejected.Reason, "The file is not a text file of events");
    }

    [TestMethod]
    public void Read_RandomBinary_RejectedWithoutThrowing()
    {
        var random = new Random(7);
        for (var i = 0; i < 50; i++)
        {
            var junk = new byte[random.Next(1, 200_000)];
            random.NextBytes(junk);

            Assert.IsInstanceOfType<EventFileVerdict.Rejected>(Read(junk).Verdict);
        }
    }

    [TestMethod]
    public void Read_EveryLineBad_RejectedWithTheFirstProblem()
    {
        var rejected = AssertRejected(Read(Csv(Event("E1", side: "X"), Event("E2", side: "Y"))).Verdict, EventFileRejection.NoValidLines);

        Assert.AreEqual("Not one of the 2 lines is a valid event; the first problem: line 2: side 'X' is not BUY or SELL (or B, S).", rejected.Reason);
        Assert.AreEqual(2, rejected.BadLines.Count);
    }

    private static string Event(
        string eventId,
        string timestamp = "2026-11-25T14:30:00.123Z",
        string type = "NEW",
        string side = "BUY",
        string price = "10.5",
        string quantity = "100",
        string venue = "XNAS",
        string capacity = "",
        string trader = "T1") =>
        $"{timestamp},{eventId},{type},O1,ACC1,,FIRM1,{trader},AAPL,{side},{price},{quantity},{venue},{capacity},";
}

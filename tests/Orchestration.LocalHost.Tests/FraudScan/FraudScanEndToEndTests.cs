using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Orchestration.LocalHost.Engine;
using Orchestration.LocalHost.Tests.Api;
using Orchestration.LocalHost.Tests.Infrastructure;
using Orchestration.MarketGen;
using Orchestration.Workflows.Durable;
using Orchestration.Workflows.FraudScan;

namespace Orchestration.LocalHost.Tests.FraudScan;

/// <summary>
/// <c>fraud-scan</c> on the local host with Azurite, started over HTTP: a generated market day in, a ranked report out
/// that is identical to a single-process scan of the same files; split files, bad lines, rejected files, inline batches
/// and a repeat of the same scan.
/// </summary>
[TestClass]
public sealed class FraudScanEndToEndTests : ApiTestBase
{
    static readonly BlobServiceClient Blobs = new(Infrastructure.Azurite.ConnectionString);

    [TestMethod]
    public async Task RealisticDay_ReportMatchesASingleProcessScanOfTheSameFiles_AndARepeatIsTheSameReport()
    {
        await using TestHost host = await StartHostAsync(EngineBackend.AzureStorage);
        string folder = $"e2e-{Guid.NewGuid():N}";
        (byte[] events, byte[] news) = GeneratedDay(events: 80_000, seed: 29, symbols: 200);
        await UploadAsync($"{folder}/events.csv", events);
        await UploadAsync($"{folder}/news/feed.csv", news);

        JsonElement output = await ScanAsync(host, new { blobs = new[] { $"{folder}/events.csv" }, newsPrefix = $"{folder}/news/" });

        Assert.AreEqual("Reported", output.GetProperty("outcome").GetString(), output.ToString());
        string scanId = output.GetProperty("scanId").GetString()!;
        IReadOnlyList<Alert> expected = LocalScan(events, news);
        Assert.IsNotEmpty(expected, "the realistic day plants cases of every rule");
        string alerts = await ReportTextAsync(scanId, "alerts.json");
        Assert.AreEqual(Json(expected), alerts, "the distributed scan finds exactly what one process finds, in the same order");
        Assert.AreEqual(expected.Count, output.GetProperty("alerts").GetInt32());
        Assert.AreEqual(DataLines(events), output.GetProperty("eventsScanned").GetInt64());

        string csv = await ReportTextAsync(scanId, "alerts.csv");
        Assert.AreEqual(expected.Count + 1, csv.TrimEnd('\n').Split('\n').Length, "a header and a row per alert");
        using JsonDocument summary = JsonDocument.Parse(await ReportTextAsync(scanId, "summary.json"));
        Assert.AreEqual(expected.Count, summary.RootElement.GetProperty("alertsByRule").EnumerateObject().Sum(r => r.Value.GetInt32()));
        Assert.AreEqual(6, summary.RootElement.GetProperty("alertsByRule").EnumerateObject().Count(), "every rule raised something");

        JsonElement again = await ScanAsync(host, new { blobs = new[] { $"{folder}/events.csv" }, newsPrefix = $"{folder}/news/" });
        Assert.AreEqual(scanId, again.GetProperty("scanId").GetString(), "same inputs, same scan id");
        Assert.AreEqual(alerts, await ReportTextAsync(scanId, "alerts.json"), "and the same report");
        Assert.IsFalse(await Blobs.GetBlobContainerClient("fraud-work").GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, $"{scanId}/", Ct).GetAsyncEnumerator().MoveNextAsync(), "the scan's partitions are deleted");
    }

    [TestMethod]
    public async Task DaySplitAcrossTwoFiles_SameAlertsAsTheWholeDayInOneProcess()
    {
        await using TestHost host = await StartHostAsync(EngineBackend.AzureStorage);
        string folder = $"split-{Guid.NewGuid():N}";
        (byte[] events, byte[] news) = GeneratedDay(events: 30_000, seed: 11);
        string[] lines = Encoding.UTF8.GetString(events).TrimEnd('\n').Split('\n');
        int half = lines.Length / 2;

        // Every symbol has events in both files: their partitions must meet in one scan.
        await UploadAsync($"{folder}/a.csv", Encoding.UTF8.GetBytes(string.Join('\n', lines[..half]) + "\n"));
        await UploadAsync($"{folder}/b.csv.gz", Gzip(Encoding.UTF8.GetBytes(lines[0] + "\n" + string.Join('\n', lines[half..]) + "\n")));
        await UploadAsync($"{folder}/news.csv", news);

        JsonElement output = await ScanAsync(host, new { prefix = $"{folder}/" });

        Assert.AreEqual("Reported", output.GetProperty("outcome").GetString(), output.ToString());
        Assert.AreEqual(Json(LocalScan(events, news)), await ReportTextAsync(output.GetProperty("scanId").GetString()!, "alerts.json"));
    }

    [TestMethod]
    public async Task BadLines_CountedWithLineNumbersAndTheScanGoesOn_RejectedFilesNamedWithTheirReason()
    {
        await using TestHost host = await StartHostAsync(EngineBackend.AzureStorage);
        string folder = $"bad-{Guid.NewGuid():N}";
        string header = MarketDayFiles.CsvHeader;
        string good = "2026-11-24T14:30:00.123456Z,e1,NEW,o1,acct1,,firm1,,AAPL,BUY,190.5,100,XNAS,CLIENT,";
        string csv = string.Join("\r\n", header, good, "2026-11-24T14:30:01Z,e2,NEW,o2,acct1,,firm1,,AAPL,BUY,abc,100,XNAS,CLIENT,", "2026-11-24T14:30:02Z,e3,TRADEX,o3,acct1,,firm1,,AAPL,BUY,190,100,XNAS,CLIENT,", "too,few,columns") + "\r\n";
        await UploadAsync($"{folder}/day.csv", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(csv)]);
        await UploadAsync($"{folder}/empty.csv", []);
        await UploadAsync($"{folder}/picture.csv", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]);

        JsonElement output = await ScanAsync(host, new { prefix = $"{folder}/" });

        Assert.AreEqual("Reported", output.GetProperty("outcome").GetString(), output.ToString());
        Assert.AreEqual(3, output.GetProperty("badLines").GetInt64());
        Assert.AreEqual(2, output.GetProperty("rejectedFiles").GetInt32());
        using JsonDocument summary = JsonDocument.Parse(await ReportTextAsync(output.GetProperty("scanId").GetString()!, "summary.json"));
        JsonElement[] files = [.. summary.RootElement.GetProperty("files").EnumerateArray()];
        JsonElement day = files.Single(f => f.GetProperty("blob").GetString()!.EndsWith("day.csv", StringComparison.Ordinal));
        string[] reasons = [.. day.GetProperty("firstBadLines").EnumerateArray().Select(b => $"{b.GetProperty("line").GetInt64()}: {b.GetProperty("reason").GetString()}")];
        Assert.HasCount(3, reasons);
        StringAssert.StartsWith(reasons[0], "3: ");
        StringAssert.Contains(reasons[0], "abc");
        StringAssert.StartsWith(reasons[1], "4: ");
        StringAssert.Contains(reasons[1], "TRADEX");
        StringAssert.StartsWith(reasons[2], "5: ");
        foreach (string rejected in new[] { "empty.csv", "picture.csv" })
        {
            JsonElement file = files.Single(f => f.GetProperty("blob").GetString()!.EndsWith(rejected, StringComparison.Ordinal));
            Assert.IsFalse(file.GetProperty("accepted").GetBoolean(), rejected);
            Assert.IsFalse(string.IsNullOrWhiteSpace(file.GetProperty("reason").GetString()), rejected);
        }
    }

    [TestMethod]
    public async Task NothingScannable_RejectedWithTheReason()
    {
        await using TestHost host = await StartHostAsync(EngineBackend.AzureStorage);
        string folder = $"junk-{Guid.NewGuid():N}";
        await UploadAsync($"{folder}/notes.csv", Encoding.UTF8.GetBytes("dear diary,\ntoday the market was calm\n"));

        JsonElement file = await ScanAsync(host, new { blobs = new[] { $"{folder}/notes.csv" } });
        JsonElement none = await ScanAsync(host, new { prefix = $"{folder}/nothing-here/" });

        Assert.AreEqual("Rejected", file.GetProperty("outcome").GetString(), file.ToString());
        StringAssert.Contains(file.GetProperty("reason").GetString(), "notes.csv");
        Assert.AreEqual("Rejected", none.GetProperty("outcome").GetString());
        StringAssert.Contains(none.GetProperty("reason").GetString(), "nothing-here");
    }

    [TestMethod]
    public async Task RejectedEventsFileOnADayWithNews_RejectedCountedAndSummarisedWithItsReason_TheSameReasonEveryRun()
    {
        await using TestHost host = await StartHostAsync(EngineBackend.AzureStorage);
        string folder = $"rejected-{Guid.NewGuid():N}";
        (byte[] events, byte[] news) = GeneratedDay(events: 20_000, seed: 3);
        await UploadAsync($"{folder}/news/feed.csv", news);
        byte[] flipped = Gzip(events);
        flipped[flipped.Length / 2] ^= 0x10;
        await UploadAsync($"{folder}/flipped.csv.gz", flipped);
        await UploadAsync($"{folder}/cut.csv.gz", Gzip(events)[..(flipped.Length / 2)]);
        await UploadAsync($"{folder}/empty.csv", []);
        await UploadAsync($"{folder}/notes.csv", Encoding.UTF8.GetBytes("symbol,price,comment\nAAPL,190.5,looks fine\n"));

        foreach ((string name, string reason) in new[]
        {
            ("flipped.csv.gz", "The file is gzip-compressed but cannot be decompressed after line "),
            ("cut.csv.gz", "The file is gzip-compressed but cannot be decompressed after line "),
            ("empty.csv", "The file is empty (0 bytes)."),
            ("notes.csv", "The first line is not a header row of events or news."),
        })
        {
            JsonElement output = await ScanAsync(host, new { blobs = new[] { $"{folder}/{name}" }, newsPrefix = $"{folder}/news/" });

            Assert.AreEqual("Rejected", output.GetProperty("outcome").GetString(), output.ToString());
            Assert.AreEqual((2, 1), (output.GetProperty("files").GetInt32(), output.GetProperty("rejectedFiles").GetInt32()), output.ToString());
            StringAssert.StartsWith(output.GetProperty("reason").GetString(), $"market-events/{folder}/{name}: {reason}");
            using JsonDocument summary = JsonDocument.Parse(await ReportTextAsync(output.GetProperty("scanId").GetString()!, "summary.json"));
            Assert.AreEqual(1, summary.RootElement.GetProperty("rejectedFiles").GetInt32());
            JsonElement file = summary.RootElement.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("blob").GetString()!.EndsWith(name, StringComparison.Ordinal));
            Assert.IsFalse(file.GetProperty("accepted").GetBoolean());
            StringAssert.StartsWith(file.GetProperty("reason").GetString(), reason);
            Assert.IsTrue(summary.RootElement.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("news").GetBoolean()).GetProperty("accepted").GetBoolean());
        }

        string[] reasons = await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
            (await ScanAsync(host, new { blobs = new[] { $"{folder}/flipped.csv.gz" }, newsPrefix = $"{folder}/news/" })).GetProperty("reason").GetString()!));
        Assert.AreEqual(1, reasons.Distinct().Count(), string.Join("\n", reasons));
    }

    [TestMethod]
    public async Task FileWithoutEventIds_AlertsCiteBlobAndLine()
    {
        await using TestHost host = await StartHostAsync(EngineBackend.AzureStorage);
        string name = $"no-ids-{Guid.NewGuid():N}/venue-xnas/session-regular/orders-and-trades.csv";
        string csv = string.Join('\n',
            "timestamp,type,orderId,account,owner,firm,symbol,side,price,quantity,venue,execId",
            "2026-11-24T15:00:00.000001Z,NEW,o0,a9,ownerY,f1,WASH,BUY,9.5,100,XNAS,",
            "2026-11-24T15:00:00.000001Z,TRADE,o1,a1,ownerX,f1,WASH,BUY,10,500,XNAS,x1",
            "2026-11-24T15:00:00.000001Z,TRADE,o2,a2,ownerX,f1,WASH,SELL,10,500,XNAS,x1") + "\n";
        await UploadAsync(name, Encoding.UTF8.GetBytes(csv));

        JsonElement output = await ScanAsync(host, new { name });

        Assert.AreEqual("Reported", output.GetProperty("outcome").GetString(), output.ToString());
        Assert.AreEqual(3, output.GetProperty("eventsScanned").GetInt64());
        using JsonDocument alerts = JsonDocument.Parse(await ReportTextAsync(output.GetProperty("scanId").GetString()!, "alerts.json"));
        JsonElement wash = alerts.RootElement.EnumerateArray().Single();
        Assert.AreEqual("wash-trade", wash.GetProperty("rule").GetString());
        CollectionAssert.AreEquivalent(new[] { $"{name}#3", $"{name}#4" }, wash.GetProperty("eventIds").EnumerateArray().Select(e => e.GetString()).ToArray());
    }

    [TestMethod]
    public async Task InlineBatch_ScannedLikeAFile()
    {
        await using TestHost host = await StartHostAsync(EngineBackend.AzureStorage);
        object[] events =
        [
            new { timestamp = "2026-11-24T15:00:00.000001Z", eventId = "i1", type = "TRADE", orderId = "o1", account = "a1", owner = "ownerX", firm = "f1", symbol = "WASH", side = "BUY", price = 10.0, quantity = 500, venue = "XNAS", execId = "x1" },
            new { timestamp = "2026-11-24T15:00:00.000001Z", eventId = "i2", type = "TRADE", orderId = "o2", account = "a2", owner = "ownerX", firm = "f1", symbol = "WASH", side = "SELL", price = 10.0, quantity = 500, venue = "XNAS", execId = "x1" },
        ];

        JsonElement output = await ScanAsync(host, new { events });

        Assert.AreEqual("Reported", output.GetProperty("outcome").GetString(), output.ToString());
        Assert.AreEqual(2, output.GetProperty("eventsScanned").GetInt64());
        using JsonDocument alerts = JsonDocument.Parse(await ReportTextAsync(output.GetProperty("scanId").GetString()!, "alerts.json"));
        JsonElement wash = alerts.RootElement.EnumerateArray().Single();
        Assert.AreEqual("wash-trade", wash.GetProperty("rule").GetString());
        CollectionAssert.AreEquivalent(new[] { "i1", "i2" }, wash.GetProperty("eventIds").EnumerateArray().Select(e => e.GetString()).ToArray());
    }

    /// <summary>A day of the realistic generator (order books, market makers, planted abuses and hard negatives) as CSV files: events and news.</summary>
    internal static (byte[] Events, byte[] News) GeneratedDay(int events, ulong seed, int symbols = 40)
    {
        string directory = Path.Combine(Path.GetTempPath(), $"marketgen-{Guid.NewGuid():N}");
        try
        {
            MarketDayFiles.WriteRealistic(new MarketGenOptions { Events = events, Seed = seed, Symbols = symbols }, directory, OutputFormat.Csv, gzip: false);
            return (File.ReadAllBytes(Path.Combine(directory, "events.csv")), File.ReadAllBytes(Path.Combine(directory, "news.csv")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The single-process scan: read both files, every symbol through the definition's rules, ranked.</summary>
    internal static IReadOnlyList<Alert> LocalScan(byte[] events, byte[] news)
    {
        var scanner = new SymbolScanner();
        EventFileReader.Read(new MemoryStream(events), scanner);
        EventFileReader.Read(new MemoryStream(news), scanner);
        FraudScanDefinition definition = FraudScanDefinitionLoader.Load(FraudScanDefinitionLoader.DefaultPath);
        return scanner.Scan(RuleSet.From(definition).Rules);
    }

    /// <summary>The events in a generated CSV file: its lines but the header.</summary>
    internal static long DataLines(byte[] csv) => csv.AsSpan().Count((byte)'\n') - 1;

    internal static string Json(IReadOnlyList<Alert> alerts) => JsonSerializer.Serialize(alerts, DurableJson.Options);

    internal static async Task<string> ReportTextAsync(string scanId, string file) =>
        (await Blobs.GetBlobContainerClient("fraud-reports").GetBlobClient($"{scanId}/{file}").DownloadContentAsync()).Value.Content.ToString();

    async Task UploadAsync(string name, byte[] content)
    {
        BlobContainerClient container = Blobs.GetBlobContainerClient(FraudScanOrchestrator.InputContainer);
        await container.CreateIfNotExistsAsync(cancellationToken: Ct);
        await container.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(content), overwrite: true, Ct);
    }

    /// <summary>POSTs the scan with <c>wait=60</c> (polled on past it on a loaded box), expects it Completed; returns its output.</summary>
    async Task<JsonElement> ScanAsync(TestHost host, object input)
    {
        using HttpResponseMessage response = await host.Http.PostAsJsonAsync(new Uri("api/workflows/fraud-scan?wait=60", UriKind.Relative), input, Ct);
        JsonElement status = await response.ExpectFinishedAsync(host.Http, Ct);
        Assert.AreEqual("Completed", status.GetProperty("runtimeStatus").GetString(), status.ToString());
        return status.GetProperty("output");
    }

    static byte[] Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Fastest))
        {
            gzip.Write(content);
        }

        return buffer.ToArray();
    }
}

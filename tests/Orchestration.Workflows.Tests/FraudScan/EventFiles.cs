using System.IO.Compression;
using System.Text;
using Orchestration.Workflows.FraudScan;

namespace Orchestration.Workflows.Tests.FraudScan;

/// <summary>Input files for the reader's tests, and a way to read them.</summary>
internal static class EventFiles
{
    public const string Header = "timestamp,eventId,type,orderId,account,owner,firm,trader,symbol,side,price,quantity,venue,capacity,execId";

    public const string NewOrder = "2026-11-25T14:30:00.1234567Z,E1,NEW,O1,ACC1,,FIRM1,T1,AAPL,BUY,101.25,100,XNAS,,";

    public static string Csv(params string[] lines) => string.Join('\n', [Header, .. lines]) + "\n";

    public static (EventFileVerdict Verdict, EventCollector Items) Read(string text) => Read(Encoding.UTF8.GetBytes(text));

    public static (EventFileVerdict Verdict, EventCollector Items) Read(byte[] bytes, string? blobName = null)
    {
        var items = new EventCollector();
        using var input = new MemoryStream(bytes);
        return (EventFileReader.Read(input, items, blobName), items);
    }

    public static byte[] Gzip(byte[] bytes)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }

        return compressed.ToArray();
    }

    public static EventFileVerdict.Accepted AssertAccepted(EventFileVerdict verdict) =>
        verdict as EventFileVerdict.Accepted ?? throw new AssertFailedException($"expected accepted, got {verdict}");

    public static EventFileVerdict.Rejected AssertRejected(EventFileVerdict verdict, EventFileRejection code)
    {
        var rejected = verdict as EventFileVerdict.Rejected ?? throw new AssertFailedException($"expected rejected, got {verdict}");
        Assert.AreEqual(code, rejected.Code, rejected.Reason);
        return rejected;
    }

    /// <summary>Asserts that the file was accepted with exactly one bad line: <paramref name="line"/> with <paramref name="reason"/>.</summary>
    public static void AssertOneBadLine(string text, long line, string reason)
    {
        var accepted = AssertAccepted(Read(text).Verdict);
        Assert.AreEqual(1, accepted.BadLineCount, string.Join("; ", accepted.BadLines));
        Assert.AreEqual(new BadLine(line, reason), accepted.BadLines[0]);
    }
}

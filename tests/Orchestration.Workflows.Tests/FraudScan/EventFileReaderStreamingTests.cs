using Orchestration.Workflows.FraudScan;

namespace Orchestration.Workflows.Tests.FraudScan;

[TestClass]
public sealed class EventFileReaderStreamingTests
{
    [TestMethod]
    [DoNotParallelize] // the live heap is the process's: other tests allocating at the same time would count
    public void Read_TwoMillionEventsGeneratedOnTheFly_LiveHeapStaysSmall()
    {
        const long Events = 2_000_000;
        var input = new GeneratedCsvStream(Events);
        var sink = new LiveHeapProbe(every: Events / 4);

        var verdict = EventFileReader.Read(input, sink);

        var accepted = verdict as EventFileVerdict.Accepted ?? throw new AssertFailedException($"expected accepted, got {verdict}");
        Assert.AreEqual((Events, 0L), (accepted.Events, accepted.BadLineCount), string.Join("; ", accepted.BadLines));
        Assert.IsGreaterThan(150L << 20, input.Produced, "the file is larger than the heap may grow");
        Assert.IsLessThan(16L << 20, sink.PeakGrowth, "the reader holds one buffer, not the file");
    }

    /// <summary>Drops what it is handed, measuring the live heap (after a full collection) now and then.</summary>
    private sealed class LiveHeapProbe(long every) : IEventSink
    {
        private readonly long _baseline = GC.GetTotalMemory(forceFullCollection: true);
        private long _seen;

        public long PeakGrowth { get; private set; }

        public void OnEvent(in MarketEvent marketEvent)
        {
            if (++_seen % every == 0)
            {
                PeakGrowth = Math.Max(PeakGrowth, GC.GetTotalMemory(forceFullCollection: true) - _baseline);
            }
        }

        public void OnNews(in NewsEvent news)
        {
        }
    }
}

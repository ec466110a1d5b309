using System.Diagnostics;
using Orchestration.Workflows.FraudScan;

namespace Orchestration.Bench;

/// <summary>A measured stretch of work: wall time, and the CPU the process doing it burned.</summary>
internal sealed record FraudRun(string Name, long Events, TimeSpan Elapsed, TimeSpan Cpu)
{
    public double EventsPerSecond => Events / Elapsed.TotalSeconds;
}

/// <summary>What the bare loop measured; <paramref name="Rules"/> is the rules' share of <paramref name="ParseAndRules"/>.</summary>
internal sealed record BareFraudFigures(FraudRun Parse, FraudRun ParseAndRules, TimeSpan Rules, IReadOnlyList<Alert> Alerts, long PeakBytes);

/// <summary>
/// The baseline: the scan's work with neither storage nor engine, in this process on one thread — the same reader
/// (<see cref="EventFileReader"/>) on the same file, then the same <see cref="SymbolScanner"/> with the same rules over
/// the whole day at once. Whatever the scan on the local host spends beyond this is partitioning, storage and engine.
/// It holds every event in memory (the scanner groups them by symbol), so its memory is no measure of the product's.
/// </summary>
internal static class BareFraudLoop
{
    /// <summary>
    /// Each pass is run this often and the fastest kept: on a shared machine one pass of the same work has taken from 18
    /// to 36 s, and the baseline is what the scan is held against, so it should be the machine at its best.
    /// </summary>
    public const int Passes = 2;

    public static BareFraudFigures Measure(FraudDay day, FraudScanDefinition definition)
    {
        FraudRun parse = Enumerable.Range(0, Passes).Select(_ => ParseOnly(day)).MinBy(r => r.Elapsed)!;
        (FraudRun parseAndRules, TimeSpan rules, IReadOnlyList<Alert> alerts) =
            Enumerable.Range(0, Passes).Select(_ => ParseAndRules(day, definition)).MinBy(p => p.Run.Elapsed);
        if (parse.Events != day.Events || parseAndRules.Events != day.Events)
        {
            throw new InvalidOperationException($"The bare loop read {parse.Events:N0} and {parseAndRules.Events:N0} events of the {day.Events:N0} generated: it would measure a broken run.");
        }

        return new BareFraudFigures(parse, parseAndRules, rules, alerts, MemoryMeter.PeakOf(Environment.ProcessId));
    }

    static FraudRun ParseOnly(FraudDay day)
    {
        var counter = new CountingSink();
        return Measure("bare loop: parse only (counting sink)", () =>
        {
            Read(day.EventsFile, counter);
            return counter.Events;
        });
    }

    /// <summary>One pass of parse + rules, with the rules' share of its time and what they found.</summary>
    static (FraudRun Run, TimeSpan Rules, IReadOnlyList<Alert> Alerts) ParseAndRules(FraudDay day, FraudScanDefinition definition)
    {
        IReadOnlyList<Alert> alerts = [];
        TimeSpan rules = TimeSpan.Zero;
        FraudRun run = Measure("bare loop: parse + rules", () =>
        {
            var scanner = new SymbolScanner();
            Read(day.EventsFile, scanner);
            Read(day.NewsFile, scanner);
            long start = Stopwatch.GetTimestamp();
            alerts = scanner.Scan(RuleSet.From(definition).Rules);
            rules = Stopwatch.GetElapsedTime(start);
            return scanner.Events;
        });
        return (run, rules, alerts);
    }

    static void Read(string path, IEventSink sink)
    {
        using FileStream file = File.OpenRead(path);
        if (EventFileReader.Read(file, sink) is not EventFileVerdict.Accepted { BadLineCount: 0 })
        {
            throw new InvalidOperationException($"{path} was not read cleanly: the benchmark would measure a broken run.");
        }
    }

    static FraudRun Measure(string name, Func<long> run)
    {
        TimeSpan cpu = CpuMeter.Self();
        long start = Stopwatch.GetTimestamp();
        long events = run();
        return new FraudRun(name, events, Stopwatch.GetElapsedTime(start), CpuMeter.Self() - cpu);
    }

    /// <summary>
    /// Parsing alone: counts what the reader hands it and keeps nothing. It takes records, as the scan's sinks do (the
    /// scanner and the partition writer), so no string is made.
    /// </summary>
    sealed class CountingSink : IEventRecordSink
    {
        public long Events { get; private set; }

        public void OnEvent(in EventRecord record) => Events++;

        public void OnEvent(in MarketEvent marketEvent) => Events++;

        public void OnNews(in NewsEvent news)
        {
        }
    }
}

using static Orchestration.Bench.Figures;

namespace Orchestration.Bench;

/// <summary>
/// Prints the fraud benchmark as Markdown tables: the runs, where the scan's time goes, the targets with PASS or MISS
/// (measured and reported, never asserted), and what a 75-billion-event day would need at the measured throughput.
/// </summary>
internal static class FraudReport
{
    public const double ThroughputTarget = 0.5;
    public const double BarePerCoreTarget = 2_000_000;
    public const long MemoryTargetBytes = 1024L * 1024 * 1024;

    /// <summary>The day the estimate is for.</summary>
    public const double DayEvents = 75e9;

    /// <summary>Capacity kept spare over the measured throughput: retries, skew between partitions, a slower day.</summary>
    public const double Headroom = 1.5;

    /// <summary>The machine size the estimate is also given in, beside machines like this one.</summary>
    const int LargeMachineCores = 16;

    static readonly (string Name, TimeSpan Length)[] Windows = [("overnight, 4 h", TimeSpan.FromHours(4)), ("1 h", TimeSpan.FromHours(1))];

    /// <summary>What was run: the day, where Azurite kept its data, settings given to the host.</summary>
    public sealed record Setup(FraudDay Day, bool AzuriteOnDisk, IReadOnlyList<string> HostSettings);

    public static void Print(Setup setup, BareFraudFigures bare, ScanFigures scan)
    {
        Console.WriteLine();
        Console.WriteLine(
            $"Fraud scan benchmark — {setup.Day.Events:N0} generated events ({setup.Day.Bytes / 1e6:N0} MB of CSV with the news), {scan.Partitions} partitions, "
            + $"{Environment.ProcessorCount} cores, Azurite {(setup.AzuriteOnDisk ? "on disk" : "in memory")}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine($"Host settings beyond the bench's: {(setup.HostSettings.Count == 0 ? "none" : string.Join(' ', setup.HostSettings))}");
        PrintRuns(setup.Day, bare, scan);
        PrintStages(scan.Scan);
        PrintTargets(bare, scan);
        PrintEstimate(setup.Day, scan.Scan.Total);
    }

    static void PrintRuns(FraudDay day, BareFraudFigures bare, ScanFigures scan)
    {
        Stretch upload = scan.Upload, total = scan.Scan.Total;
        var both = new Stretch("upload + scan", upload.Elapsed + total.Elapsed, new CpuSnapshot(upload.Cpu.Host + total.Cpu.Host, upload.Cpu.Azurite + total.Cpu.Azurite));
        Console.WriteLine();
        Console.WriteLine("| run | elapsed | events/s | events/s per core | CPU | Azurite CPU |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (FraudRun run in new[] { bare.Parse, bare.ParseAndRules })
        {
            Console.WriteLine($"| {run.Name} | {Seconds(run.Elapsed)} | {run.EventsPerSecond:N0} | {run.EventsPerSecond:N0} | {Share(run.Cpu, run.Elapsed)} | – |");
        }

        Console.WriteLine(
            $"| {upload.Name} ({day.Bytes / 1e6:N0} MB, {day.Bytes / 1e6 / upload.Elapsed.TotalSeconds:N0} MB/s) | {Seconds(upload.Elapsed)} | – | – "
            + $"| {Share(upload.Cpu.Host, upload.Elapsed)} | {Share(upload.Cpu.Azurite, upload.Elapsed)} |");
        foreach (Stretch run in new[] { total, both })
        {
            double perSecond = day.Events / run.Elapsed.TotalSeconds;
            Console.WriteLine(
                $"| {run.Name} | {Seconds(run.Elapsed)} | {perSecond:N0} | {perSecond / Environment.ProcessorCount:N0} "
                + $"| {Share(run.Cpu.Host, run.Elapsed)} | {Share(run.Cpu.Azurite, run.Elapsed)} |");
        }

        Console.WriteLine(
            $"The bare loop is one thread in this process, so its events/s is per core; each row is the fastest of {BareFraudLoop.Passes} passes, and the rules "
            + $"took {Seconds(bare.Rules)} of the parse + rules pass. "
            + $"The scan's per core is per core of this machine (it and Azurite share all {Environment.ProcessorCount}). "
            + "CPU is the bare loop's process or the local host's, as a share of one core; upload CPU is the host's (idle) and Azurite's, the uploader is this process.");
    }

    static void PrintStages(ScanRun scan)
    {
        Console.WriteLine();
        Console.WriteLine("Where the scan's time goes (stages from the custom status, polled every 100 ms; CPU over each stage):");
        Console.WriteLine();
        Console.WriteLine("| stage | elapsed | share | host CPU | Azurite CPU |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (Stretch stage in scan.Stages)
        {
            Console.WriteLine(
                $"| {stage.Name} | {Seconds(stage.Elapsed)} | {stage.Elapsed / scan.Total.Elapsed * 100:0}% | {Share(stage.Cpu.Host, stage.Elapsed)} | {Share(stage.Cpu.Azurite, stage.Elapsed)} |");
        }
    }

    static void PrintTargets(BareFraudFigures bare, ScanFigures scan)
    {
        TimeSpan withUpload = scan.Upload.Elapsed + scan.Scan.Total.Elapsed;
        double ratio = bare.ParseAndRules.Elapsed / scan.Scan.Total.Elapsed;
        double ratioWithUpload = bare.ParseAndRules.Elapsed / withUpload;
        HostMemory memory = scan.Memory;
        Console.WriteLine();
        Console.WriteLine("| target | measured | result |");
        Console.WriteLine("|---|---|---|");
        Console.WriteLine(
            $"| end to end ≥ {ThroughputTarget} × the bare loop (parse + rules) | {ratio:0.00} × ({Seconds(scan.Scan.Total.Elapsed)} against {Seconds(bare.ParseAndRules.Elapsed)}); "
            + $"with the upload {ratioWithUpload:0.00} × | {Verdict(ratio >= ThroughputTarget)} |");
        Console.WriteLine(
            $"| bare loop ≥ {BarePerCoreTarget / 1e6:0} M events/s per core, CSV | parse + rules {bare.ParseAndRules.EventsPerSecond / 1e6:0.00} M/s; parse alone {bare.Parse.EventsPerSecond / 1e6:0.00} M/s "
            + $"| {Verdict(bare.ParseAndRules.EventsPerSecond >= BarePerCoreTarget)} |");
        Console.WriteLine(
            $"| peak working set of the host ≤ {Mb(MemoryTargetBytes)} MB | {Mb(memory.PeakBytes)} MB (VmHWM; highest VmRSS sampled every 100 ms: {Mb(memory.MaxSampledBytes)} MB) "
            + $"| {Verdict(memory.PeakBytes <= MemoryTargetBytes)} |");
        Console.WriteLine(
            $"Host working set started and idle: {Mb(memory.IdleBytes)} MB; after the warm-up: {Mb(memory.WarmBytes)} MB. Azurite's peak (not part of the target; "
            + $"in memory, it holds the blobs too): {Mb(scan.AzuritePeakBytes)} MB. The bare loop's process peaked at {Mb(bare.PeakBytes)} MB: it holds the whole day, so it is no target.");
        Console.WriteLine(
            $"Report of {scan.Scan.InstanceId} checked: eventsScanned = {scan.Scan.Output.GetProperty("eventsScanned").GetInt64():N0} (every generated event), "
            + $"alerts.json identical to the bare loop's {bare.Alerts.Count} alerts serialized with DurableJson.Options.");
    }

    /// <summary>
    /// Cores and machines for <see cref="DayEvents"/> events at the scan's measured throughput per core of this machine
    /// (Azurite's share of the cores included, so conservative for real Azure Storage), with <see cref="Headroom"/>.
    /// </summary>
    static void PrintEstimate(FraudDay day, Stretch scan)
    {
        double perCore = day.Events / scan.Elapsed.TotalSeconds / Environment.ProcessorCount;
        double perHostCpuSecond = day.Events / scan.Cpu.Host.TotalSeconds;
        double coreHours = DayEvents / perCore / 3600;
        Console.WriteLine();
        Console.WriteLine(
            $"A {DayEvents / 1e9:0}-billion-event day at {perCore:N0} events/s per core (end to end, this run; {perHostCpuSecond:N0} events per host CPU-second without Azurite's share): "
            + $"{coreHours:N0} core-hours, × {Headroom} headroom:");
        Console.WriteLine();
        Console.WriteLine($"| window | cores | machines of {Environment.ProcessorCount} cores | machines of {LargeMachineCores} cores |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach ((string name, TimeSpan length) in Windows)
        {
            double cores = Math.Ceiling(DayEvents / (perCore * length.TotalSeconds) * Headroom);
            Console.WriteLine($"| {name} | {cores:N0} | {Math.Ceiling(cores / Environment.ProcessorCount):N0} | {Math.Ceiling(cores / LargeMachineCores):N0} |");
        }
    }
}

using System.Globalization;
using System.Text.Json;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestration.LocalHost.Azurite;
using Orchestration.MarketGen;
using Orchestration.Workflows.Durable;
using Orchestration.Workflows.FraudScan;
using static Orchestration.Bench.BenchArgs;

namespace Orchestration.Bench;

/// <summary>
/// <c>quality</c> mode: how well the rules of <c>workflows/fraud-scan/workflow.json</c> do on realistic market days
/// (<see cref="RealisticMarket"/>) they were not written against: per seed and size, recall and precision per rule and
/// the hard negatives (legitimate look-alikes) flagged. Seeds 7 and 11 are the development seeds (rules were looked at
/// on them); every other seed is held out, and the verdict is taken on held-out seeds only.
/// Usage: <c>dotnet run -c Release --project bench/Orchestration.Bench -- quality [--seeds 7,11,101,202,303] [--events 200000,2000000] [--why rule] [--on-host]</c>;
/// <c>--why</c> lists that rule's missed cases and false alerts (on development seeds only, so held-out days stay unread).
/// With <c>--on-host</c> each day is written to files (events.csv, news.csv, labels.json), uploaded to Azurite and scanned
/// by the local host as its own process (<c>POST /api/workflows/fraud-scan</c>, as the <c>fraud</c> mode does); the
/// report's <c>alerts.json</c> is scored against <c>labels.json</c>, and each run's generation time, scan wall time and
/// events/s are printed after the same tables. Host settings (<c>--Section:Key=value</c>) pass through.
/// </summary>
internal static class QualityBenchmark
{
    /// <summary>The seeds rules were developed on; results on them are shown but do not count.</summary>
    public static readonly IReadOnlySet<ulong> DevelopmentSeeds = new HashSet<ulong> { 7, 11 };

    public const double RecallTarget = 0.95;
    public const double PrecisionTarget = 0.90;

    public static async Task RunAsync(string[] args)
    {
        ulong[] seeds = List(args, "--seeds", "7,11,101,202,303").Select(s => ulong.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        int[] sizes = List(args, "--events", "200000,2000000").Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        string? why = args.SkipWhile(a => a != "--why").Skip(1).FirstOrDefault();
        FraudScanDefinition definition = FraudScanDefinitionLoader.Load(FraudScanDefinitionLoader.DefaultPath);
        RuleSet rules = RuleSet.From(definition);
        string[] names = [.. rules.Rules.Select(r => r.Name)];

        var runs = new List<(ulong Seed, int Events, IReadOnlyList<RuleQuality> Rows)>();
        if (args.Contains("--on-host"))
        {
            await OnHostAsync(args, seeds, sizes, why, definition, names, runs);
            return;
        }

        foreach (int size in sizes)
        {
            foreach (ulong seed in seeds)
            {
                Progress($"seed {seed}, {size:N0} events: generating …");
                var market = new RealisticMarket(new MarketGenOptions { Events = size, Seed = seed });
                GeneratedDay day = market.Generate();
                Progress($"seed {seed}, {size:N0} events: scanning {day.Events.Count:N0} events …");
                var alerts = new List<Alert>();
                foreach (SymbolDay symbol in day.BySymbol())
                {
                    rules.Scan(symbol, alerts);
                }

                IReadOnlyList<RuleQuality> rows = LabelScore.Score(names, alerts, day.Cases);
                runs.Add((seed, size, rows));
                if (why is not null && DevelopmentSeeds.Contains(seed))
                {
                    Explain(why, alerts, day.Cases, seed, size);
                }
            }
        }

        Print(runs, names);
    }

    /// <summary>Each day written to files, uploaded and scanned by the local host (its own process, over Azurite on disk), its report scored.</summary>
    static async Task OnHostAsync(string[] args, ulong[] seeds, int[] sizes, string? why, FraudScanDefinition definition, string[] names, List<(ulong Seed, int Events, IReadOnlyList<RuleQuality> Rows)> runs)
    {
        var timings = new List<(ulong Seed, int Events, long Generated, TimeSpan Generation, TimeSpan Scan)>();
        string azuriteData = Path.Combine(Path.GetTempPath(), $"quality-bench-azurite-{Guid.NewGuid():N}");
        try
        {
            Progress("starting Azurite (on disk) and the local host …");
            await using AzuriteLauncher azurite = await AzuriteLauncher.StartAsync(
                new AzuriteLaunchOptions { InMemory = false, DataDirectory = azuriteData }, NullLogger.Instance, CancellationToken.None);
            await using HostProcess host = await HostProcess.StartAsync(
            [
                $"--AzureWebJobsStorage={azurite.ConnectionString}",
                "--Durable:Backend=AzureStorage",
                $"--Durable:TaskHub=BenchQuality{Guid.NewGuid():N}",
                "--Durable:WorkerId=bench",
                "--LocalHost:BlobTriggers=false",
                "--LocalHost:Timers=false",
                "--Logging:LogLevel:Default=Warning",
                .. HostSettings(args),
            ]);
            var driver = new FraudScanDriver(new BlobServiceClient(azurite.ConnectionString), host, azurite.ProcessId);
            foreach (int size in sizes)
            {
                foreach (ulong seed in seeds)
                {
                    Progress($"seed {seed}, {size:N0} events: generating to files …");
                    using FraudDay day = FraudDay.Generate(new MarketGenOptions { Events = size, Seed = seed });
                    string folder = $"quality-{seed}-{size}-{Guid.NewGuid():N}";
                    Progress($"seed {seed}, {size:N0} events: uploading {day.Bytes / 1e6:N0} MB and scanning {day.Events:N0} events on the host …");
                    await driver.UploadAsync(day, folder);
                    ScanRun scan = await driver.ScanAsync(folder);
                    long scanned = scan.Output.GetProperty("eventsScanned").GetInt64();
                    if (scanned != day.Events)
                    {
                        throw new InvalidOperationException($"The host scanned {scanned:N0} events of {day.Events:N0}: {scan.Output}");
                    }

                    List<Alert> alerts = JsonSerializer.Deserialize<List<Alert>>(await driver.ReportTextAsync(scan.ScanId, "alerts.json", definition), DurableJson.Options)
                        ?? throw new InvalidOperationException($"The report of {scan.ScanId} has no alerts.json.");
                    IReadOnlyList<PlantedCase> labels = MarketDayFiles.ReadLabels(day.LabelsFile);
                    runs.Add((seed, size, LabelScore.Score(names, alerts, labels)));
                    timings.Add((seed, size, day.Events, day.Generation, scan.Total.Elapsed));
                    if (why is not null && DevelopmentSeeds.Contains(seed))
                    {
                        Explain(why, alerts, labels, seed, size);
                    }
                }
            }
        }
        finally
        {
            if (Directory.Exists(azuriteData))
            {
                Directory.Delete(azuriteData, recursive: true);
            }
        }

        Print(runs, names);
        Console.WriteLine();
        Console.WriteLine("Scanned on the local host (its own process, Azure Storage backend on Azurite on disk); scan = POST → Completed:");
        Console.WriteLine();
        Console.WriteLine("| events asked | seed | events | generation | scan wall time | events/s |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var t in timings)
        {
            Console.WriteLine(FormattableString.Invariant($"| {t.Events:N0} | {t.Seed} | {t.Generated:N0} | {t.Generation.TotalSeconds:0.0} s | {t.Scan.TotalSeconds:0.0} s | {t.Generated / t.Scan.TotalSeconds:N0} |"));
        }
    }

    static void Explain(string rule, IReadOnlyList<Alert> alerts, IReadOnlyList<PlantedCase> labels, ulong seed, int size)
    {
        Console.Write($"## seed {seed}, {size:N0} events: ");
        // The first line is the heading; the cases under it are indented.
        foreach ((string line, int i) in LabelScore.Explain(rule, alerts, labels, maxFalse: 40).Select((line, i) => (line, i)))
        {
            Console.WriteLine(i == 0 ? line : $"  {line}");
        }
    }

    static void Print(List<(ulong Seed, int Events, IReadOnlyList<RuleQuality> Rows)> runs, string[] names)
    {
        Console.WriteLine();
        Console.WriteLine($"Fraud-scan rule quality on the realistic generator — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; development seeds {string.Join(", ", DevelopmentSeeds)} (*), the others held out");
        Console.WriteLine();
        Console.WriteLine("| events | seed | rule | planted | alerts | recall | precision | hard negatives flagged | false alerts on other rules' abuse |");
        Console.WriteLine("|---:|---:|---|---:|---:|---:|---:|---:|---:|");
        foreach ((ulong seed, int events, IReadOnlyList<RuleQuality> rows) in runs)
        {
            foreach (RuleQuality q in rows)
            {
                string mark = DevelopmentSeeds.Contains(seed) ? "*" : "";
                Console.WriteLine(FormattableString.Invariant($"| {events:N0} | {seed}{mark} | {q.Rule} | {q.Planted} | {q.Alerts} | {q.Recall:0.000} | {q.Precision:0.000} | {q.HardNegativesFlagged} of {q.HardNegatives} | {q.OnOtherAbuse} |"));
            }
        }

        Console.WriteLine();
        Console.WriteLine($"Held-out seeds, worst per rule (targets: recall ≥ {RecallTarget:0.00}, precision ≥ {PrecisionTarget:0.00}):");
        Console.WriteLine();
        Console.WriteLine("| rule | worst recall | worst precision | hard negatives flagged | false alerts (on other rules' abuse) | verdict |");
        Console.WriteLine("|---|---:|---:|---:|---:|---|");
        var heldOut = runs.Where(r => !DevelopmentSeeds.Contains(r.Seed)).SelectMany(r => r.Rows).ToList();
        foreach (string name in names)
        {
            var rows = heldOut.Where(q => q.Rule == name).ToList();
            if (rows.Count == 0)
            {
                continue;
            }

            double recall = rows.Min(q => q.Recall);
            double precision = rows.Min(q => q.Precision);
            string verdict = rows.Sum(q => q.Planted) == 0 ? "NOT MEASURED (nothing planted)" : recall >= RecallTarget && precision >= PrecisionTarget ? "PASS" : "FAIL";
            Console.WriteLine(FormattableString.Invariant($"| {name} | {recall:0.000} | {precision:0.000} | {rows.Sum(q => q.HardNegativesFlagged)} of {rows.Sum(q => q.HardNegatives)} | {rows.Sum(q => q.Alerts - q.TruePositives)} ({rows.Sum(q => q.OnOtherAbuse)}) | {verdict} |"));
        }
    }

    static string[] List(string[] args, string name, string fallback) =>
        (args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

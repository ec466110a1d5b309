using System.Globalization;
using Orchestration.MarketGen;
using Orchestration.Workflows.FraudScan;
using static Orchestration.Bench.BenchArgs;

namespace Orchestration.Bench;

/// <summary>
/// <c>quality</c> mode: how well the rules of <c>workflows/fraud-scan/workflow.json</c> do on realistic market days
/// (<see cref="RealisticMarket"/>) they were not written against: per seed and size, recall and precision per rule and
/// the hard negatives (legitimate look-alikes) flagged. Seeds 7 and 11 are the development seeds (rules were looked at
/// on them); every other seed is held out, and the verdict is taken on held-out seeds only.
/// Usage: <c>dotnet run -c Release --project bench/Orchestration.Bench -- quality [--seeds 7,11,101,202,303] [--events 200000,2000000] [--why rule]</c>;
/// <c>--why</c> lists that rule's missed cases and false alerts (on development seeds only, so held-out days stay unread).
/// </summary>
internal static class QualityBenchmark
{
    /// <summary>The seeds rules were developed on; results on them are shown but do not count.</summary>
    public static readonly IReadOnlySet<ulong> DevelopmentSeeds = new HashSet<ulong> { 7, 11 };

    public const double RecallTarget = 0.95;
    public const double PrecisionTarget = 0.90;

    public static Task RunAsync(string[] args)
    {
        ulong[] seeds = List(args, "--seeds", "7,11,101,202,303").Select(s => ulong.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        int[] sizes = List(args, "--events", "200000,2000000").Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        string? why = args.SkipWhile(a => a != "--why").Skip(1).FirstOrDefault();
        FraudScanDefinition definition = FraudScanDefinitionLoader.Load(FraudScanDefinitionLoader.DefaultPath);
        RuleSet rules = RuleSet.From(definition);
        string[] names = [.. rules.Rules.Select(r => r.Name)];

        var runs = new List<(ulong Seed, int Events, IReadOnlyList<RuleQuality> Rows)>();
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
        return Task.CompletedTask;
    }

    static void Explain(string rule, IReadOnlyList<Alert> alerts, IReadOnlyList<PlantedCase> labels, ulong seed, int size)
    {
        var (missed, wrong) = LabelScore.Mistakes(rule, alerts, labels);
        Console.WriteLine($"## {rule}, seed {seed}, {size:N0} events: {missed.Count} missed, {wrong.Count} false alerts");
        foreach (PlantedCase c in missed)
        {
            Console.WriteLine($"  missed {c.Symbol}: {c.Note}");
        }

        foreach ((Alert alert, PlantedCase? negative) in wrong.Take(40))
        {
            Console.WriteLine($"  false {alert.Symbol} {alert.From:HH:mm:ss} score {alert.Score}{(negative is null ? "" : " [hard negative]")}: {alert.Summary}");
        }
    }

    static void Print(List<(ulong Seed, int Events, IReadOnlyList<RuleQuality> Rows)> runs, string[] names)
    {
        Console.WriteLine();
        Console.WriteLine($"Fraud-scan rule quality on the realistic generator — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; development seeds {string.Join(", ", DevelopmentSeeds)} (*), the others held out");
        Console.WriteLine();
        Console.WriteLine("| events | seed | rule | planted | alerts | recall | precision | hard negatives flagged |");
        Console.WriteLine("|---:|---:|---|---:|---:|---:|---:|---:|");
        foreach ((ulong seed, int events, IReadOnlyList<RuleQuality> rows) in runs)
        {
            foreach (RuleQuality q in rows)
            {
                string mark = DevelopmentSeeds.Contains(seed) ? "*" : "";
                Console.WriteLine(FormattableString.Invariant($"| {events:N0} | {seed}{mark} | {q.Rule} | {q.Planted} | {q.Alerts} | {q.Recall:0.000} | {q.Precision:0.000} | {q.HardNegativesFlagged} of {q.HardNegatives} |"));
            }
        }

        Console.WriteLine();
        Console.WriteLine($"Held-out seeds, worst per rule (targets: recall ≥ {RecallTarget:0.00}, precision ≥ {PrecisionTarget:0.00}):");
        Console.WriteLine();
        Console.WriteLine("| rule | worst recall | worst precision | hard negatives flagged | verdict |");
        Console.WriteLine("|---|---:|---:|---:|---|");
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
            Console.WriteLine(FormattableString.Invariant($"| {name} | {recall:0.000} | {precision:0.000} | {rows.Sum(q => q.HardNegativesFlagged)} of {rows.Sum(q => q.HardNegatives)} | {verdict} |"));
        }
    }

    static string[] List(string[] args, string name, string fallback) =>
        (args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

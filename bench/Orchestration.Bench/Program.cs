using Microsoft.Extensions.Logging.Abstractions;
using Orchestration.Bench;
using Orchestration.LocalHost;
using Orchestration.LocalHost.Azurite;

// Engine throughput of the local host on both backends, each beside baselines measured in this same run.
// Usage: dotnet run -c Release --project bench/Orchestration.Bench [-- --repeat N]
// The image pipeline end to end against a bare render loop: ... -- images [--count N] (see ImageBenchmark).
// The fraud scan end to end against a bare parse + rules loop: ... -- fraud [--events N] (see FraudBenchmark).
// The rules' recall and precision on realistic generated days: ... -- quality [--seeds 7,11,101] [--on-host] (see QualityBenchmark).
if (args is ["images", .. string[] imageArgs])
{
    await ImageBenchmark.RunAsync(imageArgs);
    return;
}

if (args is ["quality", .. string[] qualityArgs])
{
    await QualityBenchmark.RunAsync(qualityArgs);
    return;
}

if (args is ["fraud", .. string[] fraudArgs])
{
    await FraudBenchmark.RunAsync(fraudArgs);
    return;
}

int repeat = BenchArgs.Int(args, "--repeat", 3);
const int FanOut = 1000;
const int Chains = 200;

await using AzuriteLauncher azurite = await AzuriteLauncher.StartAsync(new AzuriteLaunchOptions { InMemory = true }, NullLogger.Instance, CancellationToken.None);
var results = new List<Measurement>();

results.Add(Best(await RepeatAsync(repeat, () => EngineBenchmarks.BareActivitiesAsync(FanOut))));
results.Add(Best(await RepeatAsync(repeat, () => EngineBenchmarks.AzuriteQueueRoundTripsAsync(azurite.ConnectionString, 2000, azurite.ProcessId))));
results.Add(Best(await RepeatAsync(repeat, () => EngineBenchmarks.AzuriteTableWritesAsync(azurite.ConnectionString, 2000, azurite.ProcessId))));

foreach (string backend in new[] { "InMemory", "AzureStorage" })
{
    int? storagePid = backend == "AzureStorage" ? azurite.ProcessId : null;
    string[] hostArgs =
    [
        "--urls=http://127.0.0.1:0",
        $"--Durable:Backend={backend}",
        $"--Durable:TaskHub=Bench{Guid.NewGuid():N}",
        "--Durable:WorkerId=bench",
        "--LocalHost:ApiKey=bench",
        "--LocalHost:Timers=false",
        "--LocalHost:BlobTriggers=false",
        "--Logging:LogLevel:Default=Warning",
        $"--AzureWebJobsStorage={azurite.ConnectionString}",
        .. args.Where(a => a.StartsWith("--Durable:", StringComparison.Ordinal)),
    ];
    await using LocalHostApp host = await LocalHostApp.StartAsync(hostArgs);

    // Warm-up: JIT, connections, and (Azure Storage) partition leases acquired before anything is timed.
    await EngineBenchmarks.ChainsAsync(host, backend, 10, storagePid);
    await EngineBenchmarks.FanOutAsync(host, backend, 100, storagePid);

    results.Add(Best(await RepeatAsync(repeat, () => EngineBenchmarks.FanOutAsync(host, backend, FanOut, storagePid))));
    results.Add(Best(await RepeatAsync(repeat, () => EngineBenchmarks.ChainsAsync(host, backend, Chains, storagePid))));
}

Console.WriteLine();
Console.WriteLine($"Orchestration engine benchmark — {Environment.ProcessorCount} cores, best of {repeat}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
Console.WriteLine();
Console.WriteLine("| backend | scenario | per second | elapsed | host CPU | Azurite CPU |");
Console.WriteLine("|---|---|---:|---:|---:|---:|");
foreach (Measurement m in results)
{
    Console.WriteLine(
        $"| {m.Backend} | {m.Scenario} | {m.PerSecond,10:N0} {m.Unit}/s | {m.Elapsed.TotalSeconds:0.00} s | {Percent(m.HostCpu, m.Elapsed)} | {(m.StorageCpu == TimeSpan.Zero ? "–" : Percent(m.StorageCpu, m.Elapsed))} |");
}

static string Percent(TimeSpan cpu, TimeSpan wall) => $"{cpu.TotalSeconds / wall.TotalSeconds * 100:0}%";

static Measurement Best(IReadOnlyList<Measurement> runs) => runs.MaxBy(r => r.PerSecond)!;

static async Task<IReadOnlyList<Measurement>> RepeatAsync(int times, Func<Task<Measurement>> run)
{
    var list = new List<Measurement>();
    for (int i = 0; i < times; i++)
    {
        list.Add(await run());
    }

    return list;
}

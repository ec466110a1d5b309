using System.Diagnostics;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.DurableTask.Client;
using Orchestration.LocalHost;
using Orchestration.Workflows.Samples;

namespace Orchestration.Bench;

/// <summary>One measured figure, with the CPU each side burned while it ran.</summary>
internal sealed record Measurement(string Backend, string Scenario, int Units, string Unit, TimeSpan Elapsed, TimeSpan HostCpu, TimeSpan StorageCpu)
{
    public double PerSecond => Units / Elapsed.TotalSeconds;
}

internal static class EngineBenchmarks
{
    /// <summary>A fan-out of <paramref name="activities"/> no-op activities in one orchestration, start to completion.</summary>
    public static async Task<Measurement> FanOutAsync(LocalHostApp host, string backend, int activities, int? storagePid)
    {
        return await MeasureAsync(backend, $"fan-out of {activities:N0} activities", activities, "activities", storagePid, async () =>
        {
            string id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(FanOutOrchestrator), new FanOutInput(activities, activities));
            OrchestrationMetadata done = await WaitAsync(host.Client, id);
            long n = activities;
            if (done.ReadOutputAs<FanOutResult>()?.SumOfSquares != (n - 1) * n * ((2 * n) - 1) / 6)
            {
                throw new InvalidOperationException("Fan-out returned a wrong sum: the benchmark measured a broken run.");
            }
        });
    }

    /// <summary><paramref name="chains"/> orchestrations of 5 chained activities each, all started at once.</summary>
    public static async Task<Measurement> ChainsAsync(LocalHostApp host, string backend, int chains, int? storagePid)
    {
        string[] names = ["a", "b", "c", "d", "e"];
        return await MeasureAsync(backend, $"{chains} chains of 5", chains, "orchestrations", storagePid, async () =>
        {
            string[] ids = await Task.WhenAll(Enumerable.Range(0, chains).Select(_ =>
                host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(HelloSequenceOrchestrator), new HelloSequenceInput(names))));
            OrchestrationMetadata[] done = await Task.WhenAll(ids.Select(id => WaitAsync(host.Client, id)));
            if (done.Any(d => d.ReadOutputAs<string[]>()?.Length != names.Length))
            {
                throw new InvalidOperationException("A chain returned a wrong output: the benchmark measured a broken run.");
            }
        });
    }

    /// <summary>Baseline: the same activity code called directly, no engine (what the engine's bookkeeping is compared with).</summary>
    public static async Task<Measurement> BareActivitiesAsync(int activities)
    {
        var square = new SquareActivity();
        var sum = new SumActivity();
        return await MeasureAsync("none (direct calls)", $"same {activities:N0} activities, no engine", activities, "activities", null, async () =>
        {
            long[] squares = await Task.WhenAll(Enumerable.Range(0, activities).Select(i => square.RunAsync(null!, i)));
            _ = await sum.RunAsync(null!, squares);
        });
    }

    /// <summary>
    /// Baseline: raw Azurite round-trips with the same SDK the backend uses — each activity costs the backend at least
    /// a queue put, a get and a delete (work item) plus the same for its result on the control queue, and table writes.
    /// </summary>
    public static async Task<Measurement> AzuriteQueueRoundTripsAsync(string connection, int messages, int storagePid)
    {
        var queue = new QueueClient(connection, $"bench-{Guid.NewGuid():N}");
        await queue.CreateAsync();
        try
        {
            return await MeasureAsync("Azurite (raw SDK)", $"{messages:N0} queue put+get+delete, 16 at a time", messages, "messages", storagePid, async () =>
            {
                await Parallel.ForEachAsync(Enumerable.Range(0, messages), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
                {
                    await queue.SendMessageAsync($"m{i}", ct);
                });
                int received = 0;
                while (received < messages)
                {
                    QueueMessage[] batch = (await queue.ReceiveMessagesAsync(32)).Value;
                    await Task.WhenAll(batch.Select(m => queue.DeleteMessageAsync(m.MessageId, m.PopReceipt)));
                    received += batch.Length;
                }
            });
        }
        finally
        {
            await queue.DeleteAsync();
        }
    }

    public static async Task<Measurement> AzuriteTableWritesAsync(string connection, int rows, int storagePid)
    {
        var table = new TableClient(connection, $"bench{Guid.NewGuid():N}");
        await table.CreateAsync();
        try
        {
            return await MeasureAsync("Azurite (raw SDK)", $"{rows:N0} table upserts, 16 at a time", rows, "rows", storagePid, async () =>
            {
                await Parallel.ForEachAsync(Enumerable.Range(0, rows), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
                {
                    await table.UpsertEntityAsync(new TableEntity("p", $"r{i}") { ["Payload"] = new string('x', 200) }, cancellationToken: ct);
                });
            });
        }
        finally
        {
            await table.DeleteAsync();
        }
    }

    static async Task<OrchestrationMetadata> WaitAsync(DurableTaskClient client, string id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        OrchestrationMetadata done = await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
        return done.RuntimeStatus == OrchestrationRuntimeStatus.Completed
            ? done
            : throw new InvalidOperationException($"Instance {id} ended {done.RuntimeStatus}: {done.FailureDetails}");
    }

    static async Task<Measurement> MeasureAsync(string backend, string scenario, int units, string unit, int? storagePid, Func<Task> run)
    {
        TimeSpan hostCpu = CpuMeter.Self();
        TimeSpan storageCpu = storagePid is int pid ? CpuMeter.Of(pid) : TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        await run();
        clock.Stop();
        return new Measurement(
            backend,
            scenario,
            units,
            unit,
            clock.Elapsed,
            CpuMeter.Self() - hostCpu,
            storagePid is int p ? CpuMeter.Of(p) - storageCpu : TimeSpan.Zero);
    }
}

using System.Collections.Concurrent;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Orchestration.LocalHost.Engine;
using Orchestration.LocalHost.Tests.Infrastructure;
using Orchestration.Workflows.Samples;

namespace Orchestration.LocalHost.Tests.Engine;

/// <summary>
/// Two local hosts on one task hub (AzureStorage only: the in-memory backend is private to its process), the way two
/// Functions instances scale out: activities are shared through the work-item queue, orchestrations through the
/// partitions, and the survivor takes over the partitions of a host that goes away.
/// </summary>
[TestClass]
public sealed class SharedTaskHubTests
{
    const string MarkedSquare = "Test_MarkedSquare";
    const string MarkedFanOut = "Test_MarkedFanOut";
    const string MarkedWaiter = "Test_MarkedWaiter";
    const string GoEvent = "Go";

    public TestContext TestContext { get; set; } = null!;

    CancellationToken Cancel => TestContext.CancellationToken;

    [TestMethod]
    public async Task TwoHostsOneTaskHub_WorkScheduledThroughOne_IsSharedAndTheSurvivorCarriesOn()
    {
        string taskHub = TestHost.NewTaskHub();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // Which host ran each activity: the marker is captured per host, so the count proves where the work went.
        var ranOn = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);

        // Which host first ran each waiter: the owner, at that moment, of the partition the waiter lives in.
        var firstRanOn = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        TestHostOptions Options(string marker) => new()
        {
            Backend = EngineBackend.AzureStorage,
            TaskHub = taskHub,
            Settings = new Dictionary<string, string> { ["Durable:PartitionCount"] = "2" },
            AddTasks = registry =>
            {
                registry.AddActivityFunc<int, long>(MarkedSquare, (_, i) =>
                {
                    ranOn.AddOrUpdate(marker, 1, (_, n) => n + 1);
                    return (long)i * i;
                });
                registry.AddOrchestratorFunc<int, long>(MarkedFanOut, async (context, count) =>
                {
                    long[] squares = await Task.WhenAll(Enumerable.Range(0, count).Select(i => context.CallActivityAsync<long>(MarkedSquare, i)));
                    return squares.Sum();
                });

                // Returns the host that ran its last episode (a replay runs the whole function again, on that host).
                registry.AddOrchestratorFunc<string?, string>(MarkedWaiter, async (context, _) =>
                {
                    firstRanOn.TryAdd(context.InstanceId, marker);
                    await context.WaitForExternalEvent<string>(GoEvent);
                    return marker;
                });
            },
        };

        // Each host gets its own random Durable:WorkerId from TestHost. A starts alone and must own the partitions
        // before B exists: the waiters it runs then live in partitions that B can only reach by taking them over.
        TestHost? hostA = await TestHost.StartAsync(Options("A"), Cancel);
        string[] waiters;
        TestHost hostB;
        try
        {
            waiters = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
                hostA.Client.ScheduleNewOrchestrationInstanceAsync(MarkedWaiter, input: null, Cancel)));
            await Task.WhenAll(waiters.Select(id => Instances.StartedAsync(hostA.Client, id, Cancel)));
            hostB = await TestHost.StartAsync(Options("B"), Cancel);
        }
        catch
        {
            await hostA.DisposeAsync();
            throw;
        }

        await using (hostB)
        try
        {
            TestContext.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: both hosts started");
            string[] names = ["Ann", "Bo"];
            string[] sequences = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
                hostA.Client.ScheduleNewOrchestrationInstanceAsync(nameof(HelloSequenceOrchestrator), new HelloSequenceInput(names), Cancel)));
            string fanOut = await hostA.Client.ScheduleNewOrchestrationInstanceAsync(MarkedFanOut, 300, Cancel);

            OrchestrationMetadata[] greeted = await Task.WhenAll(sequences.Select(id => Instances.CompleteAsync(hostA.Client, id, Instances.Long, Cancel)));
            OrchestrationMetadata summed = await Instances.CompleteAsync(hostA.Client, fanOut, Instances.Long, Cancel);

            TestContext.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: all done; activities per host: {string.Join(", ", ranOn.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} {kv.Value}"))}");
            foreach (OrchestrationMetadata done in greeted)
            {
                CollectionAssert.AreEqual(new[] { "Hello, Ann!", "Hello, Bo!" }, done.ReadOutputAs<string[]>(), done.InstanceId);
            }

            Assert.AreEqual(Instances.SumOfSquares(300), summed.ReadOutputAs<long>());
            string shares = string.Join(", ", ranOn.Select(kv => $"{kv.Key}: {kv.Value}"));
            Assert.IsGreaterThan(0, ranOn.GetValueOrDefault("A"), $"host A ran none of the activities ({shares})");
            Assert.IsGreaterThan(0, ranOn.GetValueOrDefault("B"), $"host B ran none of the activities ({shares})");
            Assert.IsGreaterThanOrEqualTo(300, ranOn.Values.Sum(), "every activity ran at least once");

            string[] ranByA = waiters.Where(id => firstRanOn.GetValueOrDefault(id) == "A").ToArray();
            TestContext.WriteLine($"waiters first run on A: {ranByA.Length} of {waiters.Length}");
            Assert.HasCount(waiters.Length, ranByA, "host A ran every waiter: it was the only host then");

            // Host A goes away; B must pick up its partitions (at once if A released them, else when the lease expires).
            await hostA.DisposeAsync();
            hostA = null;
            ranOn.Clear();
            TestContext.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: host A disposed");

            // The waiters in A's partitions can only finish if B has taken those partitions over.
            await Task.WhenAll(waiters.Select(id => hostB.Client.RaiseEventAsync(id, GoEvent, "go", Cancel)));
            OrchestrationMetadata[] woken = await Task.WhenAll(waiters.Select(id => Instances.CompleteAsync(hostB.Client, id, Instances.Long, Cancel)));
            Assert.IsTrue(woken.All(w => w.ReadOutputAs<string>() == "B"), "every waiter finished on host B");
            TestContext.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: host B finished the waiters of A's partitions");

            string[] later = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
                hostB.Client.ScheduleNewOrchestrationInstanceAsync(nameof(HelloSequenceOrchestrator), new HelloSequenceInput(names), Cancel)));
            string laterFanOut = await hostB.Client.ScheduleNewOrchestrationInstanceAsync(MarkedFanOut, 20, Cancel);
            OrchestrationMetadata[] survivors = await Task.WhenAll(later.Select(id => Instances.CompleteAsync(hostB.Client, id, Instances.Long, Cancel)));
            OrchestrationMetadata laterSum = await Instances.CompleteAsync(hostB.Client, laterFanOut, Instances.Long, Cancel);

            TestContext.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: host B finished the new work alone");
            foreach (OrchestrationMetadata done in survivors)
            {
                CollectionAssert.AreEqual(new[] { "Hello, Ann!", "Hello, Bo!" }, done.ReadOutputAs<string[]>(), done.InstanceId);
            }

            Assert.AreEqual(Instances.SumOfSquares(20), laterSum.ReadOutputAs<long>());
            Assert.AreEqual(0, ranOn.GetValueOrDefault("A"), "the disposed host ran nothing more");
            Assert.IsGreaterThanOrEqualTo(20, ranOn.GetValueOrDefault("B"));
        }
        finally
        {
            if (hostA is not null)
            {
                await hostA.DisposeAsync();
            }
        }
    }
}

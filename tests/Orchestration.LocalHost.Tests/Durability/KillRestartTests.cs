using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orchestration.LocalHost.Tests.Engine;
using Orchestration.LocalHost.Tests.Infrastructure;

namespace Orchestration.LocalHost.Tests.Durability;

/// <summary>
/// The promise of the AzureStorage backend: kill the host mid-run (SIGKILL, no graceful anything), start it again, and
/// the work finishes with the right answer. The host runs as a separate process, started exactly as a user would.
/// </summary>
// Alone: a SIGKILL test measures recovery, and recovery on a box saturated by other hosts and one Azurite (lease
// renewals timing out, work-item locks lapsing) is a different, slower experiment.
[TestClass]
[DoNotParallelize]
public sealed class KillRestartTests
{
    const int Count = 1000;
    const int BatchSize = 250;
    const int MinimumProgress = 40;

    public TestContext TestContext { get; set; } = null!;

    CancellationToken Cancel => TestContext.CancellationToken;

    [TestMethod]
    public async Task FanOut_HostKilledMidFlightAndRestarted_CompletesWithExactSum()
    {
        using var host = new KillableHost([], Cancel);
        bool passed = false;
        try
        {
            await host.StartAsync();
            using HttpResponseMessage started = await host.Http.PostAsJsonAsync("api/workflows/fan-out", new { count = Count, batchSize = BatchSize }, Cancel);
            Assert.AreEqual(HttpStatusCode.Accepted, started.StatusCode, await started.Content.ReadAsStringAsync(Cancel));
            string id = (await started.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetString()!;

            // Mid-flight: the first batch has finished some of its activities, and the whole fan-out is not done.
            var clock = System.Diagnostics.Stopwatch.StartNew();
            int progress = await WaitForProgressAsync(host, id);
            TestContext.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: killing the host with {progress} of batch 0's {BatchSize} activities done");
            await host.KillAsync();

            await host.StartAsync();
            TestContext.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: restarted host is healthy");
            JsonElement done = await host.FinishedAsync(id, Instances.Long, $"fan-out {id} to finish after the restart");

            TestContext.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: fan-out finished");
            Assert.AreEqual("Completed", done.GetProperty("runtimeStatus").GetString(), done.ToString());
            JsonElement result = done.GetProperty("output");
            Assert.AreEqual(Instances.SumOfSquares(Count), result.GetProperty("sumOfSquares").GetInt64(), "exact sum despite activities re-run after the kill");
            Assert.AreEqual(Count / BatchSize, result.GetProperty("batches").GetInt32());
            passed = true;
        }
        finally
        {
            if (!passed)
            {
                host.WriteOutput(TestContext);
            }
        }
    }

    /// <summary>
    /// Waits until batch 0 has finished a good number of its activities while the fan-out as a whole is still running.
    /// Status rows are cheap and polled often; batch 0's history (hundreds of rows) is read at most once a second.
    /// </summary>
    async Task<int> WaitForProgressAsync(KillableHost host, string id)
    {
        string batch = $"{id}:batch:0";
        var sinceHistoryRead = System.Diagnostics.Stopwatch.StartNew();
        int completed = 0;
        await Eventually.HoldsAsync(
            async () =>
            {
                host.AssertAlive("before the kill");
                (HttpStatusCode parent, JsonElement _) = await host.GetInstanceAsync(id);
                Assert.AreNotEqual(HttpStatusCode.OK, parent, "the fan-out finished before it could be interrupted; make it bigger");
                (HttpStatusCode code, JsonElement _) = await host.GetInstanceAsync(batch);
                if (parent != HttpStatusCode.Accepted || code != HttpStatusCode.Accepted || sinceHistoryRead.Elapsed < TimeSpan.FromSeconds(1))
                {
                    return false;
                }

                sinceHistoryRead.Restart();
                (HttpStatusCode read, JsonElement withHistory) = await host.GetInstanceAsync(batch, "?showHistory=true");
                completed = read == HttpStatusCode.Accepted ? withHistory.GetProperty("history").EnumerateArray().Count(IsTaskCompleted) : 0;
                return completed >= MinimumProgress;
            },
            Instances.Long,
            $"batch 0 of the fan-out to finish {MinimumProgress} activities");
        return completed;
    }

    /// <summary>A TaskCompleted history event, whether the API shows event types as names or as numbers.</summary>
    static bool IsTaskCompleted(JsonElement historyEvent)
    {
        foreach (JsonProperty property in historyEvent.EnumerateObject())
        {
            if (string.Equals(property.Name, "eventType", StringComparison.OrdinalIgnoreCase))
            {
                return property.Value.ValueKind == JsonValueKind.Number
                    ? property.Value.GetInt32() == (int)DurableTask.Core.History.EventType.TaskCompleted
                    : property.Value.GetString() == nameof(DurableTask.Core.History.EventType.TaskCompleted);
            }
        }

        return false;
    }
}

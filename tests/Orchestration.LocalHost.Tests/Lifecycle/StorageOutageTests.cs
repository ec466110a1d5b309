using System.Net;
using System.Text.Json;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Orchestration.LocalHost.Engine;
using Orchestration.LocalHost.Tests.Engine;
using Orchestration.LocalHost.Tests.Infrastructure;

namespace Orchestration.LocalHost.Tests.Lifecycle;

/// <summary>
/// Storage goes away under a running host and comes back (Azurite stopped, then started again on the same ports over the
/// same data): health says so, and the work in flight finishes without restarting the host.
/// </summary>
// Alone: the test kills an Azurite and waits out visibility timeouts; other hosts' load only slows it down.
[TestClass]
[DoNotParallelize]
public sealed class StorageOutageTests
{
    const string GatedSquare = "Lifecycle_GatedSquare";
    const string GatedFanOut = "Lifecycle_GatedFanOut";
    const int Count = 12;

    public TestContext TestContext { get; set; } = null!;

    CancellationToken Cancel => TestContext.CancellationToken;

    [TestMethod]
    public async Task AzuriteGoneMidFanOut_HealthIs503_ThenAfterItReturnsTheFanOutCompletes()
    {
        await using OwnAzurite azurite = await OwnAzurite.StartAsync(Cancel);

        // Every activity waits for the gate, so all of them are running when storage goes, and all finish during the outage:
        // their results cannot be stored then, and must be delivered (run again) after it.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int started = 0;
        await using TestHost host = await TestHost.StartAsync(
            new TestHostOptions
            {
                Backend = EngineBackend.AzureStorage,
                Settings = new Dictionary<string, string>
                {
                    ["AzureWebJobsStorage"] = azurite.ConnectionString,
                    ["Durable:WorkItemVisibilityTimeoutSeconds"] = "5",
                    ["Durable:StopTimeoutSeconds"] = "2",
                },
                AddTasks = registry =>
                {
                    registry.AddActivityFunc<int, long>(GatedSquare, async (_, i) =>
                    {
                        Interlocked.Increment(ref started);
                        await gate.Task;
                        return (long)i * i;
                    });
                    registry.AddOrchestratorFunc<int, long>(GatedFanOut, async (context, count) =>
                    {
                        long[] squares = await Task.WhenAll(Enumerable.Range(0, count).Select(i => context.CallActivityAsync<long>(GatedSquare, i)));
                        return squares.Sum();
                    });
                },
            },
            Cancel);
        Assert.AreEqual(HttpStatusCode.OK, await HostProcesses.HealthAsync(host.Http, Cancel), "healthy while storage runs");

        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync(GatedFanOut, Count, Cancel);
        await Eventually.HoldsAsync(() => Task.FromResult(Volatile.Read(ref started) >= Count), Instances.Short, $"all {Count} activities to run");

        // Stopped, not SIGKILLed: Azurite saves its metadata only every 5 s, and a SIGKILL would lose queue messages (then
        // nothing can finish), which is Azurite's loss, not the host's. The host sees the same: connections refused.
        await azurite.StopAsync();
        gate.SetResult();
        using (HttpResponseMessage down = await Eventually.ReturnsAsync(
                   async () =>
                   {
                       HttpResponseMessage response = await host.Http.GetAsync("api/health", Cancel);
                       if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                       {
                           return response;
                       }

                       response.Dispose();
                       return null;
                   },
                   Instances.Short,
                   "/api/health to answer 503 while storage is gone"))
        {
            JsonElement body = JsonDocument.Parse(await down.Content.ReadAsStringAsync(Cancel)).RootElement;
            Assert.AreEqual("Unhealthy", body.GetProperty("status").GetString(), body.ToString());
            Assert.AreEqual("Unreachable", body.GetProperty("storage").GetString(), body.ToString());
            Assert.IsFalse(string.IsNullOrWhiteSpace(body.GetProperty("detail").GetString()), body.ToString());
        }

        // Every activity has finished while storage was gone, and the engine has given up storing its result (after the
        // storage client's retries), before storage comes back.
        var engine = (ServiceDecorator)host.App.Services.GetRequiredService<DurableEngine>().BackendClient;
        await Eventually.HoldsAsync(
            () => Task.FromResult(engine.ActivityResultsNotStored >= Count), Instances.Short, "every activity result to fail to be stored");
        await azurite.RestartAsync(Cancel);
        await Eventually.HoldsAsync(
            async () => await HostProcesses.HealthAsync(host.Http, Cancel) == HttpStatusCode.OK, Instances.Short, "/api/health to answer 200 again");

        // Without a restart of the host: every result refused before ("processed multiple times concurrently") is taken.
        // Polled, not the client's long wait: a call that meets storage's last moments of absence fails, the next one not.
        OrchestrationMetadata done = await Eventually.ReturnsAsync(
            async () =>
            {
                try
                {
                    OrchestrationMetadata? now = await host.Client.GetInstanceAsync(id, getInputsAndOutputs: true, Cancel);
                    return now is { IsCompleted: true } ? now : null;
                }
                catch (RpcException ex)
                {
                    TestContext.WriteLine($"status read failed: {ex.Status.Detail}");
                    return null;
                }
            },
            TimeSpan.FromSeconds(300),
            $"fan-out {id} to finish after storage came back");
        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus, done.FailureDetails?.ToString());
        Assert.AreEqual(Enumerable.Range(0, Count).Sum(i => (long)i * i), done.ReadOutputAs<long>());
        TestContext.WriteLine($"{Volatile.Read(ref started)} activity runs for {Count} activities");
        Assert.IsGreaterThanOrEqualTo(2 * Count, Volatile.Read(ref started), "each activity whose result was lost ran again");
    }
}

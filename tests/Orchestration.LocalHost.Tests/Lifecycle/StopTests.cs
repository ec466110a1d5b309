using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Orchestration.LocalHost.Engine;
using Orchestration.LocalHost.Tests.Engine;
using Orchestration.LocalHost.Tests.Infrastructure;

namespace Orchestration.LocalHost.Tests.Lifecycle;

/// <summary>
/// A host stops within a bound, and without throwing, whatever its storage does: DurableTask.AzureStorage alone may wait
/// 10 minutes for its partition manager and then throw a TimeoutException that took the process down (the sidecar stops
/// the backend from an async void handler).
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class StopTests
{
    const string Waiter = "Lifecycle_Waiter";

    /// <summary>
    /// The stop bound is 2 s per step here; this allows for a loaded box. A stop that waits on storage takes minutes
    /// (each storage call has a 100 s network timeout, and the partition manager up to 10 min).
    /// </summary>
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    public TestContext TestContext { get; set; } = null!;

    CancellationToken Cancel => TestContext.CancellationToken;

    [TestMethod]
    [DataRow("killed")]
    [DataRow("frozen")]
    public async Task Stop_WhenStorageIsGoneOrStuck_EndsWithinTheBound(string storage)
    {
        await using OwnAzurite azurite = await OwnAzurite.StartAsync(Cancel);
        TestHost host = await TestHost.StartAsync(
            new TestHostOptions
            {
                Backend = EngineBackend.AzureStorage,
                Settings = new Dictionary<string, string>
                {
                    ["AzureWebJobsStorage"] = azurite.ConnectionString,
                    ["Durable:StopTimeoutSeconds"] = "2",
                },
                AddTasks = registry => registry.AddOrchestratorFunc<string?, string>(Waiter, (context, _) => context.WaitForExternalEvent<string>("go")),
            },
            Cancel);

        // The engine owns partitions and holds a session when storage goes.
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync(Waiter, input: null, Cancel);
        await Instances.StartedAsync(host.Client, id, Cancel);
        if (storage == "killed")
        {
            await azurite.KillAsync();
        }
        else
        {
            await azurite.FreezeAsync();
        }

        // The host's stop, and the backend's stop as the sidecar calls it: from an async void handler that the host does
        // not wait for, where a TimeoutException (after 10 min) or a NullReferenceException ended the process.
        var backend = (ServiceDecorator)host.App.Services.GetRequiredService<DurableEngine>().BackendClient;
        var clock = Stopwatch.StartNew();
        Task stop = Task.WhenAll(host.DisposeAsync().AsTask(), backend.StopAsync());
        Task first = await Task.WhenAny(stop, Task.Delay(Deadline, Cancel));
        Assert.AreSame(stop, first, $"the host and its backend did not stop within {Deadline.TotalSeconds:0} s with storage {storage}");
        await stop; // and neither threw
        TestContext.WriteLine($"stopped in {clock.Elapsed.TotalSeconds:0.0} s with storage {storage}");
    }
}

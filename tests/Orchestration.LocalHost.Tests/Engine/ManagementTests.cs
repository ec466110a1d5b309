using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Orchestration.LocalHost.Engine;
using Orchestration.LocalHost.Tests.Infrastructure;
using Orchestration.Workflows.Samples;

namespace Orchestration.LocalHost.Tests.Engine;

/// <summary>Managing instances through the client: terminate, suspend/resume, restart, purge and query, on both backends.</summary>
[TestClass]
public sealed class ManagementTests
{
    const string WaitsForGo = "Test_WaitsForGo";
    const string GoEvent = "Go";

    public TestContext TestContext { get; set; } = null!;

    CancellationToken Cancel => TestContext.CancellationToken;

    [TestMethod]
    [DataRow(EngineBackend.InMemory)]
    [DataRow(EngineBackend.AzureStorage)]
    public async Task Terminate_WaitingApproval_IsTerminatedWithReasonAsOutput(EngineBackend backend)
    {
        await using TestHost host = await TestHost.StartAsync(new TestHostOptions { Backend = backend }, Cancel);
        string id = await StartWaitingApprovalAsync(host);

        await host.Client.TerminateInstanceAsync(id, new TerminateInstanceOptions("no longer needed"), Cancel);
        OrchestrationMetadata done = await Instances.FinishAsync(host.Client, id, Instances.Short, Cancel);

        Assert.AreEqual(OrchestrationRuntimeStatus.Terminated, done.RuntimeStatus);
        Assert.AreEqual("no longer needed", done.ReadOutputAs<string>());
    }

    [TestMethod]
    [DataRow(EngineBackend.InMemory)]
    [DataRow(EngineBackend.AzureStorage)]
    public async Task SuspendResume_EventRaisedWhileSuspended_CompletesOnlyAfterResume(EngineBackend backend)
    {
        // A test orchestrator that only waits for the event, so this checks the engine's suspend/resume on its own
        // (the approval sample is covered by PatternTests).
        await using TestHost host = await TestHost.StartAsync(
            new TestHostOptions
            {
                Backend = backend,
                AddTasks = r => r.AddOrchestratorFunc<string?, string>(WaitsForGo, (context, _) => context.WaitForExternalEvent<string>(GoEvent)),
            },
            Cancel);
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync(WaitsForGo, input: null, Cancel);
        Assert.AreEqual(OrchestrationRuntimeStatus.Running, (await Instances.StartedAsync(host.Client, id, Cancel)).RuntimeStatus);

        await host.Client.SuspendInstanceAsync(id, "hold on", Cancel);
        OrchestrationMetadata suspended = await Instances.InStatusAsync(host.Client, id, OrchestrationRuntimeStatus.Suspended, Cancel);

        // The engine must take the event in (the instance is updated) and still not act on it.
        await host.Client.RaiseEventAsync(id, GoEvent, "alice", Cancel);
        OrchestrationMetadata afterEvent = await Eventually.ReturnsAsync(
            async () => await host.Client.GetInstanceAsync(id, getInputsAndOutputs: true, Cancel) is { } m
                && (m.LastUpdatedAt > suspended.LastUpdatedAt || m.RuntimeStatus != OrchestrationRuntimeStatus.Suspended) ? m : null,
            Instances.Short,
            "the suspended instance to take in the event");
        Assert.AreEqual(OrchestrationRuntimeStatus.Suspended, afterEvent.RuntimeStatus, "an event must not wake a suspended instance");

        await host.Client.ResumeInstanceAsync(id, "go on", Cancel);
        OrchestrationMetadata done = await Instances.CompleteAsync(host.Client, id, Instances.Short, Cancel);

        Assert.AreEqual("alice", done.ReadOutputAs<string>(), "the event received while suspended was kept and delivered on resume");
    }

    [TestMethod]
    [DataRow(EngineBackend.InMemory)]
    [DataRow(EngineBackend.AzureStorage)]
    public async Task Restart_CompletedInstance_RunsAgainUnderTheSameId(EngineBackend backend)
    {
        await using TestHost host = await TestHost.StartAsync(new TestHostOptions { Backend = backend }, Cancel);
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(HelloSequenceOrchestrator), new HelloSequenceInput(["Ada"]), Cancel);
        OrchestrationMetadata first = await Instances.CompleteAsync(host.Client, id, Instances.Short, Cancel);

        string restarted = await host.Client.RestartAsync(id, restartWithNewInstanceId: false, Cancel);

        Assert.AreEqual(id, restarted);
        OrchestrationMetadata second = await Eventually.ReturnsAsync(
            async () => await host.Client.GetInstanceAsync(id, getInputsAndOutputs: true, Cancel) is { } m
                && m.CreatedAt > first.CreatedAt && m.RuntimeStatus != OrchestrationRuntimeStatus.Pending && m.RuntimeStatus != OrchestrationRuntimeStatus.Running ? m : null,
            Instances.Short,
            "a second run of the instance to finish");
        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, second.RuntimeStatus, second.FailureDetails?.ToString());
        CollectionAssert.AreEqual(new[] { "Hello, Ada!" }, second.ReadOutputAs<string[]>());
        Assert.AreEqual(first.SerializedInput, second.SerializedInput, "a restart runs with the original input");
    }

    [TestMethod]
    [DataRow(EngineBackend.InMemory)]
    [DataRow(EngineBackend.AzureStorage)]
    public async Task PurgeInstance_CompletedInstance_IsGone(EngineBackend backend)
    {
        await using TestHost host = await TestHost.StartAsync(new TestHostOptions { Backend = backend }, Cancel);
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(HelloSequenceOrchestrator), new HelloSequenceInput(["Ada"]), Cancel);
        await Instances.CompleteAsync(host.Client, id, Instances.Short, Cancel);

        PurgeResult purged = await host.Client.PurgeInstanceAsync(id, Cancel);

        Assert.AreEqual(1, purged.PurgedInstanceCount);
        Assert.IsNull(await host.Client.GetInstanceAsync(id, Cancel));
    }

    [TestMethod]
    [DataRow(EngineBackend.InMemory)]
    [DataRow(EngineBackend.AzureStorage)]
    public async Task PurgeAllInstances_CreatedRangeAndCompletedStatus_RemovesOnlyMatchingInstances(EngineBackend backend)
    {
        await using TestHost host = await TestHost.StartAsync(new TestHostOptions { Backend = backend }, Cancel);
        string before = await RunHelloAsync(host);
        string running = await StartWaitingApprovalAsync(host);
        string[] inRange = await Task.WhenAll(RunHelloAsync(host), RunHelloAsync(host));
        string after = await RunHelloAsync(host);

        // The range's edges lie halfway between creation times that are a whole orchestration apart, so no instance sits
        // within the backend's timestamp precision of an edge (AzureStorage compares to about a millisecond).
        DateTimeOffset[] created = await Task.WhenAll(new[] { before, running, inRange[0], inRange[1], after }.Select(async id =>
            (await host.Client.GetInstanceAsync(id, Cancel))!.CreatedAt));
        DateTimeOffset firstInRange = created[1..4].Min(), lastInRange = created[1..4].Max();
        Assert.IsLessThan(firstInRange, created[0], "precondition: the first instance was created before the others");
        Assert.IsGreaterThan(lastInRange, created[4], "precondition: the last instance was created after the others");
        DateTimeOffset from = created[0] + ((firstInRange - created[0]) / 2);
        DateTimeOffset to = lastInRange + ((created[4] - lastInRange) / 2);

        PurgeResult purged = await host.Client.PurgeAllInstancesAsync(
            new PurgeInstancesFilter(from, to, [OrchestrationRuntimeStatus.Completed]), Cancel);

        foreach (string id in inRange)
        {
            Assert.IsNull(await host.Client.GetInstanceAsync(id, Cancel), $"{id} was completed and created in range");
        }

        Assert.IsNotNull(await host.Client.GetInstanceAsync(before, Cancel), $"created {created[0]:O}, before the range from {from:O}");
        Assert.IsNotNull(await host.Client.GetInstanceAsync(after, Cancel), $"created {created[4]:O}, after the range to {to:O}");
        OrchestrationMetadata? stillRunning = await host.Client.GetInstanceAsync(running, Cancel);
        Assert.IsNotNull(stillRunning, "in range but not completed");
        Assert.AreEqual(OrchestrationRuntimeStatus.Running, stillRunning.RuntimeStatus);
        Assert.AreEqual(2, purged.PurgedInstanceCount, "the purge reports what it removed");
    }

    [TestMethod]
    [DataRow(EngineBackend.InMemory)]
    [DataRow(EngineBackend.AzureStorage)]
    public async Task GetAllInstances_CompletedFilterPageSizeTwo_PagesThroughAllFive(EngineBackend backend)
    {
        await using TestHost host = await TestHost.StartAsync(new TestHostOptions { Backend = backend }, Cancel);
        string running = await StartWaitingApprovalAsync(host);
        string[] completed = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => RunHelloAsync(host)));

        var query = new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Completed], PageSize = 2 };
        var pages = new List<Page<OrchestrationMetadata>>();
        await foreach (Page<OrchestrationMetadata> page in host.Client.GetAllInstancesAsync(query).AsPages(pageSizeHint: 2).WithCancellation(Cancel))
        {
            pages.Add(page);
            Assert.IsLessThanOrEqualTo(2, page.Values.Count, $"page {pages.Count} is larger than the page size");
            Assert.IsLessThan(20, pages.Count, "paging does not end");
        }

        string[] seen = pages.SelectMany(p => p.Values).Select(m => m.InstanceId).ToArray();
        CollectionAssert.AreEquivalent(completed, seen, $"pages: {string.Join(" | ", pages.Select(p => $"{p.Values.Count} next={p.ContinuationToken}"))}");
        Assert.IsGreaterThanOrEqualTo(3, pages.Count(p => p.Values.Count > 0), "five instances need at least three pages of two");
        Assert.DoesNotContain(running, seen, "the status filter leaves out the running instance");
        Assert.IsTrue(pages.SelectMany(p => p.Values).All(m => m.RuntimeStatus == OrchestrationRuntimeStatus.Completed));
    }

    async Task<string> StartWaitingApprovalAsync(TestHost host)
    {
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ApprovalOrchestrator), new ApprovalInput("x", 300), Cancel);
        OrchestrationMetadata started = await Instances.StartedAsync(host.Client, id, Cancel);
        Assert.AreEqual(OrchestrationRuntimeStatus.Running, started.RuntimeStatus);
        return id;
    }

    async Task<string> RunHelloAsync(TestHost host)
    {
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(HelloSequenceOrchestrator), new HelloSequenceInput(["Ada"]), Cancel);
        await Instances.CompleteAsync(host.Client, id, Instances.Short, Cancel);
        return id;
    }
}

using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Orchestration.LocalHost.Engine;
using Orchestration.LocalHost.Tests.Infrastructure;
using Orchestration.Workflows.Samples;

namespace Orchestration.LocalHost.Tests.Engine;

/// <summary>The Durable patterns the catalog's samples use, on the real engine, on both backends.</summary>
[TestClass]
public sealed class PatternTests
{
    const string TimerProbe = "Test_TimerProbe";

    public TestContext TestContext { get; set; } = null!;

    CancellationToken Cancel => TestContext.CancellationToken;

    [TestMethod]
    [DataRow(EngineBackend.InMemory)]
    [DataRow(EngineBackend.AzureStorage)]
    public async Task HelloSequence_FiveNames_GreetsEachInOrder(EngineBackend backend)
    {
        await using TestHost host = await TestHost.StartAsync(new TestHostOptions { Backend = backend }, Cancel);
        string[] names = ["Oslo", "Lima", "Kyiv", "Pune", "Baku"];

        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(HelloSequenceOrchestrator), new HelloSequenceInput(names), Cancel);
        OrchestrationMetadata done = await Instances.CompleteAsync(host.Client, id, Instances.Short, Cancel);

        CollectionAssert.AreEqual(names.Select(n => $"Hello, {n}!").ToArray(), done.ReadOutputAs<string[]>());
    }

    // On Azurite, 150 activities already prove what 500 did: one episode schedules more than the 100 rows an Azure Table
    // transaction may hold, so the history is written in several batches. 500 there cost minutes on a loaded box.
    [TestMethod]
    [DataRow(EngineBackend.InMemory, 500)]
    [DataRow(EngineBackend.AzureStorage, 150)]
    public async Task FanOut_HundredsOfActivitiesInOneOrchestration_ReturnsExactSumOfSquares(EngineBackend backend, int count)
    {
        await using TestHost host = await TestHost.StartAsync(new TestHostOptions { Backend = backend }, Cancel);

        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(FanOutOrchestrator), new FanOutInput(count, count), Cancel);
        OrchestrationMetadata done = await Instances.CompleteAsync(host.Client, id, Instances.Long, Cancel);

        FanOutResult result = done.ReadOutputAs<FanOutResult>()!;
        Assert.AreEqual(count, result.Count);
        Assert.AreEqual(Instances.SumOfSquares(count), result.SumOfSquares);
        Assert.AreEqual(1, result.Batches);
    }

    // Three batches, the last one short, each a sub-orchestration of more than 100 activities (see above) on Azurite.
    [TestMethod]
    [DataRow(EngineBackend.InMemory, 1200, 500)]
    [DataRow(EngineBackend.AzureStorage, 300, 120)]
    public async Task FanOut_InBatches_RunsThreeSubOrchestrationsAndReturnsExactSum(EngineBackend backend, int count, int batchSize)
    {
        await using TestHost host = await TestHost.StartAsync(new TestHostOptions { Backend = backend }, Cancel);

        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(FanOutOrchestrator), new FanOutInput(count, batchSize), Cancel);
        OrchestrationMetadata done = await Instances.CompleteAsync(host.Client, id, Instances.Long, Cancel);

        FanOutResult result = done.ReadOutputAs<FanOutResult>()!;
        Assert.AreEqual(Instances.SumOfSquares(count), result.SumOfSquares);
        Assert.AreEqual(3, result.Batches);
        for (int b = 0; b < 3; b++)
        {
            OrchestrationMetadata? child = await host.Client.GetInstanceAsync($"{id}:batch:{b}", getInputsAndOutputs: true, Cancel);
            Assert.IsNotNull(child, $"batch {b} ran as sub-orchestration {id}:batch:{b}");
            Assert.AreEqual(OrchestrationRuntimeStatus.Completed, child.RuntimeStatus);
            Assert.AreEqual(nameof(FanOutBatchOrchestrator), child.Name);
        }
    }

    [TestMethod]
    [DataRow(EngineBackend.InMemory)]
    [DataRow(EngineBackend.AzureStorage)]
    public async Task CreateTimer_OneSecond_CompletesNoSoonerThanOneSecondAfterStart(EngineBackend backend)
    {
        await using TestHost host = await TestHost.StartAsync(
            new TestHostOptions
            {
                Backend = backend,
                AddTasks = r => r.AddOrchestratorFunc<string?, DateTime[]>(TimerProbe, async (context, _) =>
                {
                    DateTime before = context.CurrentUtcDateTime;
                    await context.CreateTimer(TimeSpan.FromSeconds(1), CancellationToken.None);
                    return [before, context.CurrentUtcDateTime];
                }),
            },
            Cancel);

        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync(TimerProbe, input: null, Cancel);
        OrchestrationMetadata done = await Instances.CompleteAsync(host.Client, id, Instances.Short, Cancel);

        TimeSpan instanceTime = done.LastUpdatedAt - done.CreatedAt;
        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromSeconds(1), instanceTime, $"created {done.CreatedAt:O}, finished {done.LastUpdatedAt:O}");
        DateTime[] orchestrationTime = done.ReadOutputAs<DateTime[]>()!;
        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromSeconds(1), orchestrationTime[1] - orchestrationTime[0], "the orchestration's own clock across the timer");
    }

    [TestMethod]
    [DataRow(EngineBackend.InMemory)]
    [DataRow(EngineBackend.AzureStorage)]
    public async Task Approval_DecisionEventRaised_CompletesApprovedByAlice(EngineBackend backend)
    {
        await using TestHost host = await TestHost.StartAsync(new TestHostOptions { Backend = backend }, Cancel);
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ApprovalOrchestrator), new ApprovalInput("x", 300), Cancel);
        OrchestrationMetadata started = await Instances.StartedAsync(host.Client, id, Cancel);
        Assert.AreEqual(OrchestrationRuntimeStatus.Running, started.RuntimeStatus);

        await host.Client.RaiseEventAsync(id, ApprovalOrchestrator.DecisionEvent, new ApprovalDecision(true, "alice"), Cancel);

        // Nothing to wait for once the event is in: seconds even on a loaded box, so a hang shows as a failure, not slowness.
        OrchestrationMetadata done = await Instances.CompleteAsync(host.Client, id, Instances.Short, Cancel);

        ApprovalResult result = done.ReadOutputAs<ApprovalResult>()!;
        Assert.AreEqual(ApprovalOutcome.Approved, result.Outcome);
        Assert.AreEqual("alice", result.By);
        Assert.AreEqual("x", result.Subject);
    }

    [TestMethod]
    [DataRow(EngineBackend.InMemory)]
    [DataRow(EngineBackend.AzureStorage)]
    public async Task Approval_NoEventWithinOneSecond_TimesOut(EngineBackend backend)
    {
        await using TestHost host = await TestHost.StartAsync(new TestHostOptions { Backend = backend }, Cancel);

        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ApprovalOrchestrator), new ApprovalInput("x", 1), Cancel);
        OrchestrationMetadata done = await Instances.CompleteAsync(host.Client, id, Instances.Short, Cancel);

        ApprovalResult result = done.ReadOutputAs<ApprovalResult>()!;
        Assert.AreEqual(ApprovalOutcome.TimedOut, result.Outcome);
        Assert.IsNull(result.By);
        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromSeconds(1), done.LastUpdatedAt - done.CreatedAt);
    }

    [TestMethod]
    [DataRow(EngineBackend.InMemory)]
    [DataRow(EngineBackend.AzureStorage)]
    public async Task Countdown_ThreeTicksNoInterval_ContinuesAsNewAndCompletesWithThreeTicks(EngineBackend backend)
    {
        await using TestHost host = await TestHost.StartAsync(new TestHostOptions { Backend = backend }, Cancel);

        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(CountdownOrchestrator), new CountdownInput(3, 0), Cancel);
        OrchestrationMetadata done = await Instances.CompleteAsync(host.Client, id, Instances.Short, Cancel);

        Assert.AreEqual(3, done.ReadOutputAs<CountdownResult>()!.Ticks);
        CountdownInput last = done.ReadInputAs<CountdownInput>()!;
        Assert.AreEqual(new CountdownInput(0, 0, 3), last, "the last generation's input is what ContinueAsNew carried over");
    }
}

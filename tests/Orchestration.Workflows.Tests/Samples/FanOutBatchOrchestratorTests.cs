using Orchestration.Workflows.Samples;
using Orchestration.Workflows.Tests.Infrastructure;

namespace Orchestration.Workflows.Tests.Samples;

[TestClass]
public sealed class FanOutBatchOrchestratorTests
{
    static OrchestrationContextFake ComputingContext()
    {
        var fake = new OrchestrationContextFake("parent-1:batch:2");
        fake.OnActivity<long>((name, input) => name switch
        {
            nameof(SquareActivity) => Task.FromResult((long)(int)input! * (int)input!),
            nameof(SumActivity) => Task.FromResult(((long[])input!).Sum()),
            _ => throw new AssertFailedException($"unexpected activity {name}"),
        });
        return fake;
    }

    [TestMethod]
    public async Task RunAsync_Batch1000Length3_SquaresItems1000To1002AndSums()
    {
        OrchestrationContextFake fake = ComputingContext();

        long result = await new FanOutBatchOrchestrator().RunAsync(fake.Object, new FanOutBatch(1000, 3));

        Assert.AreEqual(1_000_000L + 1_002_001L + 1_004_004L, result);
        CollectionAssert.AreEquivalent(
            new object[] { 1000, 1001, 1002 },
            fake.Activities.Where(a => a.Name == nameof(SquareActivity)).Select(a => a.Input).ToList());
        Assert.AreEqual(nameof(SumActivity), fake.Activities[^1].Name);
        Assert.AreEqual(4, fake.Activities.Count);
        foreach (ScheduledCall call in fake.Activities)
        {
            OrchestrationContextFake.AssertRetries(call.Options, call.Name);
        }
    }

    [TestMethod]
    public async Task RunAsync_AllItemsScheduledBeforeAnyCompletes_RunsInParallel()
    {
        var fake = new OrchestrationContextFake();
        var gate = new TaskCompletionSource<long>();
        fake.OnActivity<long>((name, _) => name == nameof(SquareActivity) ? gate.Task : Task.FromResult(99L));

        Task<long> run = new FanOutBatchOrchestrator().RunAsync(fake.Object, new FanOutBatch(0, 5));

        Assert.AreEqual(5, fake.Activities.Count(a => a.Name == nameof(SquareActivity)), "fan-out schedules every item at once");
        Assert.IsFalse(run.IsCompleted);
        gate.SetResult(1);
        Assert.AreEqual(99L, await run);
    }

    [TestMethod]
    public async Task RunAsync_NullInput_ThrowsArgumentNull()
    {
        var fake = new OrchestrationContextFake();

        await Assert.ThrowsExactlyAsync<ArgumentNullException>(() => new FanOutBatchOrchestrator().RunAsync(fake.Object, null!));
    }
}

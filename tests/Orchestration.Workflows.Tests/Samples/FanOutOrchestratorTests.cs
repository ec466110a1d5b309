using Microsoft.DurableTask;
using Orchestration.Workflows.Durable;
using Orchestration.Workflows.Samples;
using Orchestration.Workflows.Tests.Infrastructure;

namespace Orchestration.Workflows.Tests.Samples;

[TestClass]
public sealed class FanOutOrchestratorTests
{
    /// <summary>Sum of i² for i in [0, n), by the closed form (n-1)n(2n-1)/6 — independent of any loop.</summary>
    static long SumOfSquaresBelow(long n) => n <= 0 ? 0 : (n - 1) * n * ((2 * n) - 1) / 6;

    /// <summary>A context whose activities really square and sum, and whose batches return their range's closed-form sum.</summary>
    static OrchestrationContextFake ComputingContext(string instanceId = "parent-1")
    {
        var fake = new OrchestrationContextFake(instanceId);
        fake.OnActivity<long>((name, input) => name switch
        {
            nameof(SquareActivity) => Task.FromResult((long)(int)input! * (int)input!),
            nameof(SumActivity) => Task.FromResult(((long[])input!).Sum()),
            _ => throw new AssertFailedException($"unexpected activity {name}"),
        });
        fake.OnSubOrchestration<long>((_, input, _) =>
        {
            var batch = (FanOutBatch)input!;
            return Task.FromResult(SumOfSquaresBelow(batch.Start + batch.Length) - SumOfSquaresBelow(batch.Start));
        });
        return fake;
    }

    [TestMethod]
    public async Task RunAsync_CountWithinBatchSize_SquaresEachItemThenSumsOnce()
    {
        OrchestrationContextFake fake = ComputingContext();

        FanOutResult result = await new FanOutOrchestrator().RunAsync(fake.Object, new FanOutInput(Count: 7, BatchSize: 10));

        Assert.AreEqual(new FanOutResult(7, 0 + 1 + 4 + 9 + 16 + 25 + 36, 1), result);
        List<ScheduledCall> squares = fake.Activities.Where(a => a.Name == nameof(SquareActivity)).ToList();
        CollectionAssert.AreEquivalent(Enumerable.Range(0, 7).Cast<object>().ToList(), squares.Select(a => a.Input).ToList());
        ScheduledCall sum = fake.Activities.Single(a => a.Name == nameof(SumActivity));
        Assert.AreSame(sum, fake.Activities[^1], "the fan-in runs after every item");
        CollectionAssert.AreEquivalent(new long[] { 0, 1, 4, 9, 16, 25, 36 }, (long[])sum.Input!);
        Assert.IsEmpty(fake.SubOrchestrations);
        Assert.IsTrue(fake.Activities.TrueForAll(a => a.Options?.Retry?.Policy is not null));
        OrchestrationContextFake.AssertRetries(sum.Options, "sum");
    }

    [TestMethod]
    public async Task RunAsync_CountEqualsBatchSize_StaysInOneHistory()
    {
        OrchestrationContextFake fake = ComputingContext();

        FanOutResult result = await new FanOutOrchestrator().RunAsync(fake.Object, new FanOutInput(Count: 4, BatchSize: 4));

        Assert.AreEqual(new FanOutResult(4, 14, 1), result);
        Assert.IsEmpty(fake.SubOrchestrations);
    }

    [TestMethod]
    public async Task RunAsync_NullInput_UsesTenItems()
    {
        OrchestrationContextFake fake = ComputingContext();

        FanOutResult result = await new FanOutOrchestrator().RunAsync(fake.Object, null);

        Assert.AreEqual(new FanOutResult(10, 285, 1), result);
        Assert.AreEqual(10, fake.Activities.Count(a => a.Name == nameof(SquareActivity)));
    }

    [TestMethod]
    public async Task RunAsync_CountWithinBatchSize_PublishesFanOutThenFanIn()
    {
        OrchestrationContextFake fake = ComputingContext();

        await new FanOutOrchestrator().RunAsync(fake.Object, new FanOutInput(Count: 3, BatchSize: 10));

        CollectionAssert.AreEqual(new object[] { new Progress("fan-out", 0, 3), new Progress("fan-in", 3, 3) }, fake.Statuses);
    }

    [TestMethod]
    public async Task RunAsync_1201ItemsBatchesOf500_ThreeBatchesCoveringEveryItemOnce()
    {
        OrchestrationContextFake fake = ComputingContext("fan-42");

        FanOutResult result = await new FanOutOrchestrator().RunAsync(fake.Object, new FanOutInput(Count: 1201, BatchSize: 500));

        Assert.AreEqual(new FanOutResult(1201, SumOfSquaresBelow(1201), 3), result);
        Assert.AreEqual(576_720_200L, result.SumOfSquares);
        Assert.HasCount(3, fake.SubOrchestrations);
        var batches = fake.SubOrchestrations.Select(s => (FanOutBatch)s.Input!).ToList();
        CollectionAssert.AreEqual(new[] { new FanOutBatch(0, 500), new FanOutBatch(500, 500), new FanOutBatch(1000, 201) }, batches);
        var covered = batches.SelectMany(b => Enumerable.Range(b.Start, b.Length)).ToList();
        CollectionAssert.AreEqual(Enumerable.Range(0, 1201).ToList(), covered, "every item exactly once, in order");
        Assert.IsTrue(fake.SubOrchestrations.TrueForAll(s => s.Name == nameof(FanOutBatchOrchestrator)));
    }

    [TestMethod]
    public async Task RunAsync_ManyBatches_ChildInstanceIdsAreParentColonBatchIndex()
    {
        OrchestrationContextFake fake = ComputingContext("fan-42");

        await new FanOutOrchestrator().RunAsync(fake.Object, new FanOutInput(Count: 1201, BatchSize: 500));

        string?[] ids = fake.SubOrchestrations.Select(s => (s.Options as SubOrchestrationOptions)?.InstanceId).ToArray();
        CollectionAssert.AreEqual(new[] { "fan-42:batch:0", "fan-42:batch:1", "fan-42:batch:2" }, ids);
    }

    [TestMethod]
    public async Task RunAsync_ManyBatches_SumsThePartialsInOneFanIn()
    {
        OrchestrationContextFake fake = ComputingContext();

        await new FanOutOrchestrator().RunAsync(fake.Object, new FanOutInput(Count: 1201, BatchSize: 500));

        Assert.IsFalse(fake.Activities.Exists(a => a.Name == nameof(SquareActivity)), "items run inside the batches");
        ScheduledCall sum = fake.Activities.Single();
        Assert.AreEqual(nameof(SumActivity), sum.Name);
        long first = SumOfSquaresBelow(500), second = SumOfSquaresBelow(1000) - first, third = SumOfSquaresBelow(1201) - SumOfSquaresBelow(1000);
        CollectionAssert.AreEqual(new[] { first, second, third }, (long[])sum.Input!);
        OrchestrationContextFake.AssertRetries(sum.Options, "sum");
    }

    [TestMethod]
    public async Task RunAsync_OneMoreThanBatchSize_LastBatchHasOneItem()
    {
        OrchestrationContextFake fake = ComputingContext();

        FanOutResult result = await new FanOutOrchestrator().RunAsync(fake.Object, new FanOutInput(Count: 5, BatchSize: 4));

        CollectionAssert.AreEqual(
            new[] { new FanOutBatch(0, 4), new FanOutBatch(4, 1) },
            fake.SubOrchestrations.Select(s => (FanOutBatch)s.Input!).ToArray());
        Assert.AreEqual(new FanOutResult(5, 30, 2), result);
    }

    [TestMethod]
    public async Task RunAsync_ManyBatches_PublishesBatchProgress()
    {
        OrchestrationContextFake fake = ComputingContext();

        await new FanOutOrchestrator().RunAsync(fake.Object, new FanOutInput(Count: 1201, BatchSize: 500));

        CollectionAssert.AreEqual(new object[] { new Progress("fan-out", 0, 3), new Progress("fan-in", 3, 3) }, fake.Statuses);
    }
}

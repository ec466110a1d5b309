using Moq;
using Orchestration.Workflows.Durable;
using Orchestration.Workflows.Samples;
using Orchestration.Workflows.Tests.Infrastructure;

namespace Orchestration.Workflows.Tests.Samples;

[TestClass]
public sealed class CountdownOrchestratorTests
{
    sealed class Loop
    {
        public Loop()
        {
            Fake = new OrchestrationContextFake();
            Fake.Mock.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
                .Returns((DateTime fireAt, CancellationToken _) =>
                {
                    Timers.Add(fireAt);
                    return Task.CompletedTask;
                });
            Fake.Mock.Setup(c => c.ContinueAsNew(It.IsAny<object?>(), It.IsAny<bool>()))
                .Callback((object? input, bool _) => NextInputs.Add(input));
        }

        public OrchestrationContextFake Fake { get; }

        public List<DateTime> Timers { get; } = [];

        public List<object?> NextInputs { get; } = [];
    }

    [TestMethod]
    public async Task RunAsync_RemainingThree_WaitsIntervalThenContinuesAsNewWithNextState()
    {
        var loop = new Loop();

        CountdownResult? result = await new CountdownOrchestrator().RunAsync(loop.Fake.Object, new CountdownInput(Remaining: 3, IntervalSeconds: 5, Ticked: 2));

        Assert.IsNull(result);
        CollectionAssert.AreEqual(new[] { loop.Fake.Now.AddSeconds(5) }, loop.Timers);
        CollectionAssert.AreEqual(new object[] { new CountdownInput(Remaining: 2, IntervalSeconds: 5, Ticked: 3) }, loop.NextInputs);
    }

    [TestMethod]
    public async Task RunAsync_RemainingThree_TimerCompletesBeforeContinueAsNew()
    {
        var loop = new Loop();
        var timer = new TaskCompletionSource();
        loop.Fake.Mock.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>())).Returns(timer.Task);

        Task<CountdownResult?> run = new CountdownOrchestrator().RunAsync(loop.Fake.Object, new CountdownInput(3, 5, 0));

        Assert.IsEmpty(loop.NextInputs, "ContinueAsNew before the timer fires would skip the wait");
        timer.SetResult();
        await run;
        Assert.HasCount(1, loop.NextInputs);
    }

    [TestMethod]
    public async Task RunAsync_RemainingOne_ContinuesWithZeroRemaining()
    {
        var loop = new Loop();

        await new CountdownOrchestrator().RunAsync(loop.Fake.Object, new CountdownInput(Remaining: 1, IntervalSeconds: 1, Ticked: 9));

        CollectionAssert.AreEqual(new object[] { new CountdownInput(0, 1, 10) }, loop.NextInputs);
    }

    [TestMethod]
    public async Task RunAsync_RemainingZero_ReturnsTicksWithoutTimerOrContinueAsNew()
    {
        var loop = new Loop();

        CountdownResult? result = await new CountdownOrchestrator().RunAsync(loop.Fake.Object, new CountdownInput(Remaining: 0, IntervalSeconds: 5, Ticked: 4));

        Assert.AreEqual(new CountdownResult(4, loop.Fake.Now), result);
        Assert.IsEmpty(loop.Timers);
        Assert.IsEmpty(loop.NextInputs);
        loop.Fake.Mock.Verify(c => c.ContinueAsNew(It.IsAny<object?>(), It.IsAny<bool>()), Times.Never);
    }

    [TestMethod]
    public async Task RunAsync_IntervalZero_ContinuesWithoutTimer()
    {
        var loop = new Loop();

        await new CountdownOrchestrator().RunAsync(loop.Fake.Object, new CountdownInput(Remaining: 2, IntervalSeconds: 0, Ticked: 0));

        Assert.IsEmpty(loop.Timers);
        CollectionAssert.AreEqual(new object[] { new CountdownInput(1, 0, 1) }, loop.NextInputs);
    }

    [TestMethod]
    public async Task RunAsync_TwoTickedThreeRemaining_ProgressIsTwoOfFive()
    {
        var loop = new Loop();

        await new CountdownOrchestrator().RunAsync(loop.Fake.Object, new CountdownInput(3, 1, 2));

        CollectionAssert.AreEqual(new object[] { new Progress("counting-down", 2, 5) }, loop.Fake.Statuses);
    }

    [TestMethod]
    public async Task RunAsync_Finished_ProgressIsComplete()
    {
        var loop = new Loop();

        await new CountdownOrchestrator().RunAsync(loop.Fake.Object, new CountdownInput(0, 1, 6));

        CollectionAssert.AreEqual(new object[] { new Progress("counting-down", 6, 6) }, loop.Fake.Statuses);
    }

    [TestMethod]
    public async Task RunAsync_LargestValidInput_ProgressTotalNotBelowDone()
    {
        var loop = new Loop();
        var input = new CountdownInput(Remaining: CountdownInput.MaxRemaining, IntervalSeconds: 0, Ticked: CountdownInput.MaxRemaining);
        Assert.IsEmpty(input.Validate(), "precondition: the API accepts this input");

        await new CountdownOrchestrator().RunAsync(loop.Fake.Object, input);

        var progress = (Progress)loop.Fake.Statuses.Single()!;
        Assert.IsGreaterThanOrEqualTo(progress.Done, progress.Total);
        Assert.AreEqual(CountdownInput.MaxRemaining + 1, ((CountdownInput)loop.NextInputs.Single()!).Ticked);
    }

    [TestMethod]
    public void Validate_TickedNearIntMax_RejectedNamingTicked()
    {
        string error = new CountdownInput(Remaining: 1, IntervalSeconds: 0, Ticked: int.MaxValue).Validate().Single();

        Assert.StartsWith("ticked:", error);
    }
}

using Moq;
using Orchestration.Workflows.Durable;
using Orchestration.Workflows.Samples;
using Orchestration.Workflows.Tests.Infrastructure;

namespace Orchestration.Workflows.Tests.Samples;

[TestClass]
public sealed class ApprovalOrchestratorTests
{
    /// <summary>
    /// The orchestrator calls <c>CreateTimer(DateTime, CancellationToken)</c> and <c>WaitForExternalEvent&lt;T&gt;(string)</c>,
    /// which binds to the abstract <c>WaitForExternalEvent&lt;T&gt;(string, CancellationToken = default)</c>.
    /// </summary>
    sealed class Race
    {
        public Race(Task timer, Task<ApprovalDecision> decision)
        {
            Fake = new OrchestrationContextFake();
            Fake.Mock.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
                .Returns((DateTime fireAt, CancellationToken token) =>
                {
                    FireAt = fireAt;
                    TimerToken = token;
                    return timer;
                });
            Fake.Mock.Setup(c => c.WaitForExternalEvent<ApprovalDecision>(It.IsAny<string>(), It.IsAny<CancellationToken>()))
                .Returns((string name, CancellationToken _) =>
                {
                    EventName = name;
                    return decision;
                });
        }

        public OrchestrationContextFake Fake { get; }

        public DateTime? FireAt { get; private set; }

        public CancellationToken TimerToken { get; private set; }

        public string? EventName { get; private set; }
    }

    static Task Never() => new TaskCompletionSource().Task;

    static Task<ApprovalDecision> NeverDecided() => new TaskCompletionSource<ApprovalDecision>().Task;

    [TestMethod]
    public async Task RunAsync_ApprovedEventFirst_ReturnsApprovedWithDecider()
    {
        var race = new Race(Never(), Task.FromResult(new ApprovalDecision(true, "alice", "ship it")));

        ApprovalResult result = await new ApprovalOrchestrator().RunAsync(race.Fake.Object, new ApprovalInput("deploy v2", 60));

        Assert.AreEqual(new ApprovalResult("deploy v2", ApprovalOutcome.Approved, "alice", "ship it", race.Fake.Now), result);
        Assert.AreEqual("ApprovalDecision", race.EventName);
    }

    [TestMethod]
    public async Task RunAsync_RejectedEventFirst_ReturnsRejectedWithDecider()
    {
        var race = new Race(Never(), Task.FromResult(new ApprovalDecision(false, "bob")));

        ApprovalResult result = await new ApprovalOrchestrator().RunAsync(race.Fake.Object, new ApprovalInput("deploy v2", 60));

        Assert.AreEqual(ApprovalOutcome.Rejected, result.Outcome);
        Assert.AreEqual("bob", result.By);
        Assert.IsNull(result.Comment);
    }

    [TestMethod]
    public async Task RunAsync_EventFirst_CancelsTheTimer()
    {
        var race = new Race(Never(), Task.FromResult(new ApprovalDecision(true, "alice")));

        await new ApprovalOrchestrator().RunAsync(race.Fake.Object, new ApprovalInput("x", 60));

        Assert.IsTrue(race.TimerToken.CanBeCanceled, "the timer must get a cancellable token");
        Assert.IsTrue(race.TimerToken.IsCancellationRequested, "a pending durable timer keeps the instance alive until it fires");
    }

    [TestMethod]
    public async Task RunAsync_TimerFiresFirst_ReturnsTimedOutWithoutDecider()
    {
        var race = new Race(Task.CompletedTask, NeverDecided());

        ApprovalResult result = await new ApprovalOrchestrator().RunAsync(race.Fake.Object, new ApprovalInput("deploy v2", 60));

        Assert.AreEqual(new ApprovalResult("deploy v2", ApprovalOutcome.TimedOut, null, null, race.Fake.Now), result);
        Assert.IsFalse(race.TimerToken.IsCancellationRequested);
    }

    [TestMethod]
    public async Task RunAsync_Timeout90Seconds_TimerFiresAtNowPlus90Seconds()
    {
        var race = new Race(Task.CompletedTask, NeverDecided());

        await new ApprovalOrchestrator().RunAsync(race.Fake.Object, new ApprovalInput("x", 90));

        Assert.AreEqual(new DateTime(2026, 3, 14, 9, 28, 23, DateTimeKind.Utc), race.FireAt);
    }

    [TestMethod]
    public async Task RunAsync_AnyOutcome_PublishesWaitingThenDecided()
    {
        var race = new Race(Task.CompletedTask, NeverDecided());

        await new ApprovalOrchestrator().RunAsync(race.Fake.Object, new ApprovalInput("x", 5));

        CollectionAssert.AreEqual(new object[] { new Progress("waiting-for-decision", 0, 1), new Progress("decided", 1, 1) }, race.Fake.Statuses);
    }

    [TestMethod]
    public void RunAsync_NeitherYet_StaysPending()
    {
        var race = new Race(Never(), NeverDecided());

        Task<ApprovalResult> run = new ApprovalOrchestrator().RunAsync(race.Fake.Object, new ApprovalInput("x", 5));

        Assert.IsFalse(run.IsCompleted);
        CollectionAssert.AreEqual(new object[] { new Progress("waiting-for-decision", 0, 1) }, race.Fake.Statuses);
    }
}

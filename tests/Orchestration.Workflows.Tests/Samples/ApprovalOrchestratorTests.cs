using System.Text.Json;
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
        public Race(Task timer, params Task<JsonElement?>[] decisions)
        {
            var events = new Queue<Task<JsonElement?>>(decisions);
            Fake = new OrchestrationContextFake();
            Fake.Mock.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
                .Returns((DateTime fireAt, CancellationToken token) =>
                {
                    FireAt = fireAt;
                    TimerToken = token;
                    return timer;
                });
            Fake.Mock.Setup(c => c.WaitForExternalEvent<JsonElement?>(It.IsAny<string>(), It.IsAny<CancellationToken>()))
                .Returns((string name, CancellationToken _) =>
                {
                    EventName = name;
                    Waits++;
                    return events.Count > 0 ? events.Dequeue() : NeverDecided();
                });
        }

        public OrchestrationContextFake Fake { get; }

        public DateTime? FireAt { get; private set; }

        public CancellationToken TimerToken { get; private set; }

        public string? EventName { get; private set; }

        public int Waits { get; private set; }
    }

    static Task Never() => new TaskCompletionSource().Task;

    static Task<JsonElement?> NeverDecided() => new TaskCompletionSource<JsonElement?>().Task;

    static Task<JsonElement?> Decided(ApprovalDecision decision) => Task.FromResult<JsonElement?>(JsonSerializer.SerializeToElement(decision, DurableJson.Options));

    static Task<JsonElement?> Raw(string json) => Task.FromResult<JsonElement?>(JsonSerializer.Deserialize<JsonElement>(json));

    [TestMethod]
    public async Task RunAsync_ApprovedEventFirst_ReturnsApprovedWithDecider()
    {
        var race = new Race(Never(), Decided(new ApprovalDecision(true, "alice", "ship it")));

        ApprovalResult result = await new ApprovalOrchestrator().RunAsync(race.Fake.Object, new ApprovalInput("deploy v2", 60));

        Assert.AreEqual(new ApprovalResult("deploy v2", ApprovalOutcome.Approved, "alice", "ship it", race.Fake.Now), result);
        Assert.AreEqual("ApprovalDecision", race.EventName);
    }

    [TestMethod]
    public async Task RunAsync_RejectedEventFirst_ReturnsRejectedWithDecider()
    {
        var race = new Race(Never(), Decided(new ApprovalDecision(false, "bob")));

        ApprovalResult result = await new ApprovalOrchestrator().RunAsync(race.Fake.Object, new ApprovalInput("deploy v2", 60));

        Assert.AreEqual(ApprovalOutcome.Rejected, result.Outcome);
        Assert.AreEqual("bob", result.By);
        Assert.IsNull(result.Comment);
    }

    [TestMethod]
    public async Task RunAsync_EventFirst_CancelsTheTimer()
    {
        var race = new Race(Never(), Decided(new ApprovalDecision(true, "alice")));

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

    [TestMethod]
    [DataRow("{\"approved\":\"maybe\"}", DisplayName = "approved: a string")]
    [DataRow("1", DisplayName = "a number")]
    [DataRow("\"yes\"", DisplayName = "a string")]
    [DataRow("null", DisplayName = "null")]
    [DataRow("{}", DisplayName = "empty object")]
    [DataRow("{\"approved\":true,\"extra\":1}", DisplayName = "unknown field")]
    public async Task RunAsync_MalformedDecisionThenAGoodOne_IgnoresTheFirstWithAReasonAndKeepsWaiting(string bad)
    {
        var race = new Race(Never(), Raw(bad), Decided(new ApprovalDecision(true, "alice")));

        ApprovalResult result = await new ApprovalOrchestrator().RunAsync(race.Fake.Object, new ApprovalInput("x", 60));

        Assert.AreEqual(ApprovalOutcome.Approved, result.Outcome);
        Assert.AreEqual("alice", result.By);
        Assert.AreEqual(2, race.Waits);
        ApprovalWaiting ignored = race.Fake.Statuses.OfType<ApprovalWaiting>().Single();
        Assert.AreEqual(1, ignored.IgnoredEvents);
        Assert.Contains("approved", ignored.LastIgnored!);
    }

    [TestMethod]
    public async Task RunAsync_EmptyDecisionThenTimeout_TimesOutRatherThanRejecting()
    {
        var timer = new TaskCompletionSource();
        var race = new Race(timer.Task, Raw("{}"));

        Task<ApprovalResult> run = new ApprovalOrchestrator().RunAsync(race.Fake.Object, new ApprovalInput("x", 60));
        Assert.IsFalse(run.IsCompleted, "an empty decision decides nothing");
        timer.SetResult();

        Assert.AreEqual(ApprovalOutcome.TimedOut, (await run).Outcome);
    }
}

using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestration.LocalHost.Tests.Infrastructure;
using Orchestration.LocalHost.Triggers;
using Orchestration.Workflows.Catalog;
using Orchestration.Workflows.Samples;
using Orchestration.Workflows.Triggers;
using static Orchestration.LocalHost.Tests.Triggers.TriggerTestData;

namespace Orchestration.LocalHost.Tests.Triggers;

/// <summary>The timer scheduler and its one job, housekeeping, on the in-memory engine (no storage needed).</summary>
[TestClass]
public sealed class TimerTests
{
    const int HousekeepingPurgedEvent = 1300;

    static TimerDefinition HousekeepingTimer => WorkflowCatalog.Timers.Single(t => t.FunctionName == Housekeeping.FunctionName);

    public TestContext TestContext { get; set; } = null!;

    CancellationToken Ct => TestContext.CancellationToken;

    [TestMethod]
    public void Parse_DefaultSchedule_IsDailyAt0315Utc()
    {
        Assert.AreEqual("0 15 3 * * *", HousekeepingTimer.DefaultSchedule);
        Assert.AreEqual(Housekeeping.ScheduleSetting, HousekeepingTimer.ScheduleSetting);

        NCrontab.CrontabSchedule schedule = TimerScheduler.Parse(HousekeepingTimer, HousekeepingTimer.DefaultSchedule);

        Assert.AreEqual(new DateTime(2030, 1, 2, 3, 15, 0, DateTimeKind.Utc), schedule.GetNextOccurrence(new DateTime(2030, 1, 1, 3, 15, 0, DateTimeKind.Utc)));
    }

    [TestMethod]
    [DataRow("not a schedule")]
    [DataRow("0 15 3 * *")]
    [DataRow("61 * * * * *")]
    [DataRow("0 15 3 * * * *")]
    [DataRow("")]
    public void Parse_BadExpression_ThrowsNamingTheSetting(string expression)
    {
        InvalidOperationException error = Assert.ThrowsExactly<InvalidOperationException>(() => TimerScheduler.Parse(HousekeepingTimer, expression));

        Assert.StartsWith($"{Housekeeping.ScheduleSetting}: '{expression}'", error.Message);
    }

    [TestMethod]
    public async Task StartAsync_BadSchedule_FailsNamingTheSetting()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestHost.StartAsync(
            new TestHostOptions { Timers = true, Settings = new Dictionary<string, string> { [Housekeeping.ScheduleSetting] = "every day" } },
            Ct));

        Assert.Contains(Housekeeping.ScheduleSetting, error.Message);
    }

    [TestMethod]
    public async Task Timer_EverySecond_RunsHousekeepingRepeatedlyAndKeepsRecentInstances()
    {
        var logs = new CapturingLoggerProvider();
        await using TestHost host = await TestHost.StartAsync(
            new TestHostOptions
            {
                Timers = true,
                Settings = new Dictionary<string, string>
                {
                    [Housekeeping.ScheduleSetting] = "*/1 * * * * *",
                    [Housekeeping.RetentionSetting] = "1",
                },
                Configure = b =>
                {
                    b.Logging.AddProvider(logs);
                    b.Logging.AddFilter<CapturingLoggerProvider>(category: null, LogLevel.Trace);
                },
            },
            Ct);
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(HelloSequenceOrchestrator), new HelloSequenceInput(["Ada"]), Ct);
        await CompleteAsync(host.Client, id, Ct);
        DateTimeOffset completed = DateTimeOffset.UtcNow;

        await Eventually.HoldsAsync(
            () => Task.FromResult(logs.With(HousekeepingPurgedEvent).Count(e => e.At > completed) >= 2),
            Patience,
            "two housekeeping runs after the instance completed");

        IReadOnlyList<CapturedLog> runs = logs.With(HousekeepingPurgedEvent).Where(e => e.At > completed).ToList();
        foreach (CapturedLog run in runs)
        {
            Assert.AreEqual(0, run.Values["Count"], run.Message);
            var cutoff = (DateTimeOffset)run.Values["Cutoff"]!;
            TimeSpan offBy = (run.At - TimeSpan.FromDays(1)) - cutoff;
            Assert.IsLessThan(TimeSpan.FromSeconds(5), offBy.Duration(), $"cutoff is the run's time minus one day of retention: {run.Message}");
        }

        OrchestrationMetadata? kept = await host.Client.GetInstanceAsync(id, Ct);
        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, kept?.RuntimeStatus, "an instance younger than the retention is kept");
    }

    [TestMethod]
    public async Task PurgeAsync_FortyDaysLater_PurgesCompletedAndKeepsRunning()
    {
        await using TestHost host = await TestHost.StartAsync(new TestHostOptions(), Ct);
        string completed = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(HelloSequenceOrchestrator), new HelloSequenceInput(["Ada"]), Ct);
        await CompleteAsync(host.Client, completed, Ct);
        string running = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ApprovalOrchestrator), new ApprovalInput("budget"), Ct);
        await Eventually.HoldsAsync(
            async () => (await host.Client.GetInstanceAsync(running, Ct))?.RuntimeStatus == OrchestrationRuntimeStatus.Running,
            Patience,
            "the approval to be running");
        var housekeeping = new Housekeeping(new ConfigurationBuilder().Build(), NullLogger<Housekeeping>.Instance);

        int purgedNow = await housekeeping.PurgeAsync(host.Client, DateTimeOffset.UtcNow, Ct);
        int purgedLater = await housekeeping.PurgeAsync(host.Client, DateTimeOffset.UtcNow.AddDays(40), Ct);

        Assert.AreEqual(0, purgedNow, "nothing is older than the default 30 days yet");
        Assert.AreEqual(1, purgedLater);
        Assert.IsNull(await host.Client.GetInstanceAsync(completed, Ct), "completed and older than the retention");
        Assert.AreEqual(OrchestrationRuntimeStatus.Running, (await host.Client.GetInstanceAsync(running, Ct))?.RuntimeStatus, "running instances are never purged");
    }
}

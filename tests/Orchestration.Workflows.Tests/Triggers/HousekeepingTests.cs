using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Orchestration.Workflows.Tests.Infrastructure;
using Orchestration.Workflows.Triggers;

namespace Orchestration.Workflows.Tests.Triggers;

[TestClass]
public sealed class HousekeepingTests
{
    static readonly DateTimeOffset Now = new(2026, 5, 20, 3, 15, 0, TimeSpan.Zero);

    sealed class Purge
    {
        public Purge(string? retentionDays, int purged = 17)
        {
            var settings = new Dictionary<string, string?>();
            if (retentionDays is not null)
            {
                settings["HousekeepingRetentionDays"] = retentionDays;
            }

            Job = new Housekeeping(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), NullLogger<Housekeeping>.Instance);
            Client.Mock.Setup(c => c.PurgeAllInstancesAsync(It.IsAny<PurgeInstancesFilter>(), It.IsAny<CancellationToken>()))
                .Returns((PurgeInstancesFilter filter, CancellationToken _) =>
                {
                    Filters.Add(filter);
                    return Task.FromResult(new PurgeResult(purged));
                });
        }

        public Housekeeping Job { get; }

        public ClientFake Client { get; } = new();

        public List<PurgeInstancesFilter> Filters { get; } = [];
    }

    [TestMethod]
    public async Task PurgeAsync_Retention7Days_PurgesFinishedInstancesCreatedBeforeAWeekAgo()
    {
        var purge = new Purge("7");

        int count = await purge.Job.PurgeAsync(purge.Client.Object, Now, CancellationToken.None);

        Assert.AreEqual(17, count);
        PurgeInstancesFilter filter = purge.Filters.Single();
        Assert.AreEqual(new DateTimeOffset(2026, 5, 13, 3, 15, 0, TimeSpan.Zero), filter.CreatedTo);
        CollectionAssert.AreEquivalent(
            new[] { OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated },
            filter.Statuses!.ToArray());
        Assert.IsLessThanOrEqualTo(DateTimeOffset.UnixEpoch, filter.CreatedFrom ?? DateTimeOffset.MinValue);
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("abc")]
    [DataRow("0")]
    [DataRow("-7")]
    [DataRow("7.5")]
    public async Task PurgeAsync_AbsentOrInvalidRetention_Uses30Days(string? setting)
    {
        var purge = new Purge(setting);

        await purge.Job.PurgeAsync(purge.Client.Object, Now, CancellationToken.None);

        Assert.AreEqual(new DateTimeOffset(2026, 4, 20, 3, 15, 0, TimeSpan.Zero), purge.Filters.Single().CreatedTo);
    }

    [TestMethod]
    public async Task RunAsync_AsTimerJob_PurgesAndIsNamedForItsFunction()
    {
        var purge = new Purge("1");
        ITimerJob job = purge.Job;

        await job.RunAsync(purge.Client.Object, Now, CancellationToken.None);

        Assert.AreEqual("Timer_Housekeeping", job.FunctionName);
        Assert.AreEqual(Now.AddDays(-1), purge.Filters.Single().CreatedTo);
    }
}

using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestration.Workflows.FraudScan;
using Orchestration.Workflows.Tests.Infrastructure;
using Orchestration.Workflows.Triggers;

namespace Orchestration.Workflows.Tests.FraudScan;

[TestClass]
public sealed class DailyFraudScanTests
{
    // 23:10 in UTC+2 is 21:10 UTC: the UTC date decides the folder.
    static readonly DateTimeOffset Close = new(2026, 11, 24, 23, 10, 0, TimeSpan.FromHours(2));

    [TestMethod]
    public async Task StartAsync_ScansTheUtcDaysFolderUnderADailyId()
    {
        var client = new ClientFake();

        string id = await new DailyFraudScan(NullLogger<DailyFraudScan>.Instance).StartAsync(client.Object, Close, CancellationToken.None);

        Assert.AreEqual("fraud-scan-daily-2026-11-24", id);
        ScheduledStart start = client.Starts.Single();
        Assert.AreEqual(nameof(FraudScanOrchestrator), start.Orchestrator);
        Assert.AreEqual(new FraudScanInput(Prefix: "2026-11-24/"), start.Input);
        Assert.AreEqual(id, start.Options!.InstanceId);
        Assert.AreEqual("news/2026-11-24/", FraudScanOrchestrator.DefaultNewsPrefix(((FraudScanInput)start.Input!).Prefix), "the day's news comes along");
    }

    [TestMethod]
    public async Task StartAsync_TheDaysScanExists_StartsNothing()
    {
        var client = new ClientFake().WithInstance("fraud-scan-daily-2026-11-24", OrchestrationRuntimeStatus.Completed, nameof(FraudScanOrchestrator));

        string id = await new DailyFraudScan(NullLogger<DailyFraudScan>.Instance).StartAsync(client.Object, Close, CancellationToken.None);

        Assert.AreEqual("fraud-scan-daily-2026-11-24", id);
        Assert.IsEmpty(client.Starts);
    }

    [TestMethod]
    public void Job_IsTheCatalogsTimer()
    {
        ITimerJob job = new DailyFraudScan(NullLogger<DailyFraudScan>.Instance);

        Assert.AreEqual("Timer_DailyFraudScan", job.FunctionName);
        Assert.AreEqual(DailyFraudScan.DefaultSchedule, Orchestration.Workflows.Catalog.WorkflowCatalog.Timers.Single(t => t.FunctionName == job.FunctionName).DefaultSchedule);
    }
}

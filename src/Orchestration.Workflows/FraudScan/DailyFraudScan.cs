using System.Globalization;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Orchestration.Workflows.Triggers;

namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// The scan at market close: on its NCrontab schedule (app setting <see cref="ScheduleSetting"/>; default weekdays
/// 21:30 UTC, half an hour after the New York close in winter) it scans the day's folder <c>market-events/{yyyy-MM-dd}/</c>
/// (UTC date) with the news under <c>news/{yyyy-MM-dd}/</c>, under the instance id <c>fraud-scan-daily-{date}</c>: a
/// second host, or a second firing the same day, finds that instance and starts nothing.
/// </summary>
public sealed class DailyFraudScan(ILogger<DailyFraudScan> logger) : ITimerJob
{
    public const string FunctionName = "Timer_DailyFraudScan";
    public const string ScheduleSetting = "FraudScanSchedule";
    public const string DefaultSchedule = "0 30 21 * * 1-5";

    string ITimerJob.FunctionName => FunctionName;

    Task ITimerJob.RunAsync(DurableTaskClient client, DateTimeOffset now, CancellationToken cancellationToken) =>
        StartAsync(client, now, cancellationToken);

    /// <summary>Starts (or finds) the scan of <paramref name="now"/>'s UTC day; returns its instance id.</summary>
    public async Task<string> StartAsync(DurableTaskClient client, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        string day = now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        string instanceId = $"{FraudScanOrchestrator.Workflow}-daily-{day}";
        if (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is not null)
        {
            return instanceId;
        }

        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                new TaskName(nameof(FraudScanOrchestrator)),
                new FraudScanInput(Prefix: $"{day}/"),
                new StartOrchestrationOptions { InstanceId = instanceId, DedupeStatuses = InstanceStates.AllStatusNames },
                cancellationToken);
            Logs.DailyScanStarted(logger, day, instanceId);
        }
        catch (Exception ex) when (InstanceStates.IsAlreadyExists(ex))
        {
            // Another host's timer fired too: one scan a day is the point of the id.
        }

        return instanceId;
    }
}

using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Orchestration.Workflows.Triggers;

/// <summary>
/// The scheduled clean-up: purges the history of finished instances (completed, failed, terminated) older than the
/// retention period, so the task hub's tables do not grow forever. Runs on the same NCrontab schedule in both hosts.
/// </summary>
public sealed class Housekeeping(IConfiguration configuration, ILogger<Housekeeping> logger) : ITimerJob
{
    public const string FunctionName = "Timer_Housekeeping";

    /// <summary>App setting holding the NCrontab schedule (six fields, seconds first).</summary>
    public const string ScheduleSetting = "HousekeepingSchedule";

    /// <summary>Every day at 03:15 UTC.</summary>
    public const string DefaultSchedule = "0 15 3 * * *";

    /// <summary>App setting: days of history to keep.</summary>
    public const string RetentionSetting = "HousekeepingRetentionDays";

    public const int DefaultRetentionDays = 30;

    string ITimerJob.FunctionName => FunctionName;

    Task ITimerJob.RunAsync(DurableTaskClient client, DateTimeOffset now, CancellationToken cancellationToken) =>
        PurgeAsync(client, now, cancellationToken);

    /// <summary>Purges finished instances created before <paramref name="now"/> minus the retention; returns how many.</summary>
    public async Task<int> PurgeAsync(DurableTaskClient client, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        int days = int.TryParse(configuration[RetentionSetting], out int configured) && configured > 0 ? configured : DefaultRetentionDays;
        DateTimeOffset cutoff = now.AddDays(-days);
        PurgeResult result = await client.PurgeAllInstancesAsync(
            new PurgeInstancesFilter(
                CreatedFrom: DateTimeOffset.UnixEpoch,
                CreatedTo: cutoff,
                Statuses: [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated]),
            cancellationToken);
        Logs.HousekeepingPurged(logger, result.PurgedInstanceCount, cutoff);
        return result.PurgedInstanceCount;
    }
}

using Microsoft.DurableTask.Client;
using NCrontab;
using Orchestration.Workflows.Catalog;
using Orchestration.Workflows.Triggers;

namespace Orchestration.LocalHost.Triggers;

/// <summary>
/// Runs each catalog timer on its NCrontab schedule (six fields, seconds first), read from the same app setting the
/// Functions [TimerTrigger("%Setting%")] uses, so both hosts fire at the same times (UTC).
/// </summary>
internal sealed class TimerScheduler(
    IConfiguration configuration,
    IEnumerable<ITimerJob> jobs,
    DurableTaskClient client,
    TimeProvider time,
    ILogger<TimerScheduler> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loops = new List<Task>();
        foreach (TimerDefinition timer in WorkflowCatalog.Timers)
        {
            ITimerJob job = jobs.FirstOrDefault(j => j.FunctionName == timer.FunctionName)
                ?? throw new InvalidOperationException($"Timer {timer.FunctionName} has no registered job.");
            string expression = configuration[timer.ScheduleSetting] is { Length: > 0 } configured ? configured : timer.DefaultSchedule;
            CrontabSchedule schedule = Parse(timer, expression);
            loops.Add(RunAsync(timer, expression, schedule, job, stoppingToken));
        }

        return Task.WhenAll(loops);
    }

    /// <summary>Parses a six-field NCrontab expression, with a message naming the setting when it is wrong.</summary>
    public static CrontabSchedule Parse(TimerDefinition timer, string expression)
    {
        ArgumentNullException.ThrowIfNull(timer);
        CrontabSchedule? schedule = CrontabSchedule.TryParse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        return schedule ?? throw new InvalidOperationException(
            $"{timer.ScheduleSetting}: '{expression}' is not an NCrontab expression with six fields (second minute hour day month day-of-week), e.g. '{timer.DefaultSchedule}'.");
    }

    async Task RunAsync(TimerDefinition timer, string expression, CrontabSchedule schedule, ITimerJob job, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            DateTime now = time.GetUtcNow().UtcDateTime;
            DateTime next = schedule.GetNextOccurrence(now);
            Logs.TimerScheduled(logger, timer.FunctionName, expression, next);
            try
            {
                await Task.Delay(next - now, time, stoppingToken);
                await job.RunAsync(client, new DateTimeOffset(next, TimeSpan.Zero), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Logs.TimerFailed(logger, ex, timer.FunctionName);
            }
        }
    }
}

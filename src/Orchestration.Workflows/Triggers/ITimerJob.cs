using Microsoft.DurableTask.Client;

namespace Orchestration.Workflows.Triggers;

/// <summary>A job run on a timer's schedule (the local host finds them here; the Functions app wraps each in a [TimerTrigger]).</summary>
public interface ITimerJob
{
    /// <summary>The <see cref="Catalog.TimerDefinition.FunctionName"/> this job belongs to.</summary>
    string FunctionName { get; }

    Task RunAsync(DurableTaskClient client, DateTimeOffset now, CancellationToken cancellationToken);
}

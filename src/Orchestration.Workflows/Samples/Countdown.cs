using Microsoft.DurableTask;
using Orchestration.Workflows.Durable;

namespace Orchestration.Workflows.Samples;

/// <summary>Input of <c>countdown</c>: ticks left, seconds between ticks, and ticks done so far (carried across generations).</summary>
public sealed record CountdownInput(int Remaining, int IntervalSeconds = 1, int Ticked = 0) : IValidatableInput
{
    public const int MaxRemaining = 10_000;

    public IEnumerable<string> Validate()
    {
        if (Remaining is < 0 or > MaxRemaining)
        {
            yield return $"remaining: {Remaining} is out of range; use 0 to {MaxRemaining}.";
        }

        if (IntervalSeconds is < 0 or > 86_400)
        {
            yield return $"intervalSeconds: {IntervalSeconds} is out of range; use 0 to 86400.";
        }

        if (Ticked is < 0 or > MaxRemaining)
        {
            yield return $"ticked: {Ticked} is out of range; use 0 to {MaxRemaining} (it counts ticks already done).";
        }
    }
}

public sealed record CountdownResult(int Ticks, DateTime FinishedAt);

/// <summary>
/// An eternal-orchestration style loop: wait on a durable timer, then <c>ContinueAsNew</c> with the next state, so the
/// history is reset every generation however long it runs.
/// </summary>
public sealed class CountdownOrchestrator : TaskOrchestrator<CountdownInput, CountdownResult?>
{
    public override async Task<CountdownResult?> RunAsync(TaskOrchestrationContext context, CountdownInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        int total = input.Remaining + input.Ticked;
        context.SetCustomStatus(new Progress("counting-down", input.Ticked, total));
        if (input.Remaining <= 0)
        {
            return new CountdownResult(input.Ticked, context.CurrentUtcDateTime);
        }

        if (input.IntervalSeconds > 0)
        {
            await context.CreateTimer(TimeSpan.FromSeconds(input.IntervalSeconds), CancellationToken.None);
        }

        context.ContinueAsNew(input with { Remaining = input.Remaining - 1, Ticked = input.Ticked + 1 });
        return null;
    }
}

using Microsoft.DurableTask;
using Orchestration.Workflows.Durable;

namespace Orchestration.Workflows.Samples;

/// <summary>Input of <c>approval</c>: what needs a decision and how long to wait for it.</summary>
public sealed record ApprovalInput(string Subject, int TimeoutSeconds = 3600) : IValidatableInput
{
    public const int MaxTimeoutSeconds = 7 * 24 * 3600;

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Subject) || Subject.Length > 500)
        {
            yield return "subject: required, at most 500 characters.";
        }

        if (TimeoutSeconds is < 1 or > MaxTimeoutSeconds)
        {
            yield return $"timeoutSeconds: {TimeoutSeconds} is out of range; use 1 to {MaxTimeoutSeconds}.";
        }
    }
}

/// <summary>The body of the <c>ApprovalDecision</c> event.</summary>
public sealed record ApprovalDecision(bool Approved, string? By = null, string? Comment = null);

public enum ApprovalOutcome
{
    Approved,
    Rejected,
    TimedOut,
}

public sealed record ApprovalResult(string Subject, ApprovalOutcome Outcome, string? By, string? Comment, DateTime DecidedAt);

/// <summary>Human interaction: wait for an external event, or give up when a durable timer fires first.</summary>
public sealed class ApprovalOrchestrator : TaskOrchestrator<ApprovalInput, ApprovalResult>
{
    public const string DecisionEvent = "ApprovalDecision";

    public override async Task<ApprovalResult> RunAsync(TaskOrchestrationContext context, ApprovalInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        context.SetCustomStatus(new Progress("waiting-for-decision", 0, 1));

        using var timeout = new CancellationTokenSource();
        DateTime deadline = context.CurrentUtcDateTime.AddSeconds(input.TimeoutSeconds);
        Task timer = context.CreateTimer(deadline, timeout.Token);
        Task<ApprovalDecision> decision = context.WaitForExternalEvent<ApprovalDecision>(DecisionEvent);

        Task winner = await Task.WhenAny(decision, timer);
        context.SetCustomStatus(new Progress("decided", 1, 1));
        if (winner == decision)
        {
            // Cancel() not CancelAsync(): an orchestrator may only await tasks of its own context.
#pragma warning disable CA1849
            timeout.Cancel();
#pragma warning restore CA1849
            ApprovalDecision d = await decision;
            return new ApprovalResult(
                input.Subject, d.Approved ? ApprovalOutcome.Approved : ApprovalOutcome.Rejected, d.By, d.Comment, context.CurrentUtcDateTime);
        }

        return new ApprovalResult(input.Subject, ApprovalOutcome.TimedOut, null, null, context.CurrentUtcDateTime);
    }
}

using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Moq.Protected;

namespace Orchestration.Workflows.Tests.Infrastructure;

/// <summary>One call an orchestrator made to schedule an activity or a sub-orchestration.</summary>
internal sealed record ScheduledCall(string Name, object? Input, TaskOptions? Options);

/// <summary>
/// A Moq <see cref="TaskOrchestrationContext"/> that records custom statuses and scheduled calls. <c>CallBase</c> is on,
/// so the SDK's own virtual helpers (replay-safe logger, <c>CreateTimer(TimeSpan)</c>) run over the mocked abstract members.
/// </summary>
internal sealed class OrchestrationContextFake
{
    public OrchestrationContextFake(string instanceId = "parent-1", DateTime? now = null)
    {
        Now = now ?? new DateTime(2026, 3, 14, 9, 26, 53, DateTimeKind.Utc);
        Mock = new Mock<TaskOrchestrationContext> { CallBase = true };
        Mock.Protected().SetupGet<ILoggerFactory>("LoggerFactory").Returns(NullLoggerFactory.Instance);
        Mock.SetupGet(c => c.InstanceId).Returns(instanceId);
        Mock.SetupGet(c => c.CurrentUtcDateTime).Returns(() => Now);
        Mock.SetupGet(c => c.IsReplaying).Returns(false);
        Mock.Setup(c => c.SetCustomStatus(It.IsAny<object?>())).Callback<object?>(s => Statuses.Add(s));
    }

    public Mock<TaskOrchestrationContext> Mock { get; }

    public TaskOrchestrationContext Object => Mock.Object;

    public DateTime Now { get; set; }

    public List<object?> Statuses { get; } = [];

    public List<ScheduledCall> Activities { get; } = [];

    public List<ScheduledCall> SubOrchestrations { get; } = [];

    /// <summary>Answers every <c>CallActivityAsync&lt;TResult&gt;</c> with <paramref name="handler"/>, recording the call.</summary>
    public void OnActivity<TResult>(Func<string, object?, Task<TResult>> handler) =>
        Mock.Setup(c => c.CallActivityAsync<TResult>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns((TaskName name, object? input, TaskOptions? options) =>
            {
                lock (Activities)
                {
                    Activities.Add(new ScheduledCall(name.Name, input, options));
                }

                return handler(name.Name, input);
            });

    /// <summary>Answers every <c>CallSubOrchestratorAsync&lt;TResult&gt;</c> with <paramref name="handler"/>, recording the call.</summary>
    public void OnSubOrchestration<TResult>(Func<string, object?, TaskOptions?, Task<TResult>> handler) =>
        Mock.Setup(c => c.CallSubOrchestratorAsync<TResult>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns((TaskName name, object? input, TaskOptions? options) =>
            {
                lock (SubOrchestrations)
                {
                    SubOrchestrations.Add(new ScheduledCall(name.Name, input, options));
                }

                return handler(name.Name, input, options);
            });

    /// <summary>Asserts the options carry a retry policy that actually retries.</summary>
    public static void AssertRetries(TaskOptions? options, string what)
    {
        Assert.IsNotNull(options, $"{what}: no TaskOptions passed");
        Assert.IsNotNull(options.Retry?.Policy, $"{what}: TaskOptions without a retry policy");
        Assert.IsGreaterThan(1, options.Retry.Policy.MaxNumberOfAttempts, $"{what}: a policy of one attempt does not retry");
    }
}

using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Moq;

namespace Orchestration.Workflows.Tests.Infrastructure;

/// <summary>One call to <c>ScheduleNewOrchestrationInstanceAsync</c>.</summary>
internal sealed record ScheduledStart(string Orchestrator, object? Input, StartOrchestrationOptions? Options);

/// <summary>A Moq <see cref="DurableTaskClient"/> (abstract) with helpers for the calls the core makes.</summary>
internal sealed class ClientFake
{
    public ClientFake()
    {
        Mock.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .Returns((TaskName name, object? input, StartOrchestrationOptions? options, CancellationToken _) =>
            {
                Starts.Add(new ScheduledStart(name.Name, input, options));
                return Task.FromResult(options?.InstanceId ?? "generated-0001");
            });
    }

    public Mock<DurableTaskClient> Mock { get; } = new(MockBehavior.Loose, "test-hub");

    public DurableTaskClient Object => Mock.Object;

    public List<ScheduledStart> Starts { get; } = [];

    /// <summary>Makes <c>GetInstanceAsync(id, any, any)</c> return <paramref name="metadata"/> (null: unknown).</summary>
    public ClientFake WithInstance(string instanceId, OrchestrationMetadata? metadata)
    {
        Mock.Setup(c => c.GetInstanceAsync(instanceId, It.IsAny<bool>(), It.IsAny<CancellationToken>())).ReturnsAsync(metadata);
        return this;
    }

    public ClientFake WithInstance(string instanceId, OrchestrationRuntimeStatus status, string name = "FanOutOrchestrator") =>
        WithInstance(instanceId, Metadata(instanceId, status, name));

    public static OrchestrationMetadata Metadata(string instanceId, OrchestrationRuntimeStatus status, string name = "FanOutOrchestrator") => new(name, instanceId)
    {
        RuntimeStatus = status,
        CreatedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        LastUpdatedAt = new DateTimeOffset(2026, 1, 2, 3, 5, 0, TimeSpan.Zero),
    };
}

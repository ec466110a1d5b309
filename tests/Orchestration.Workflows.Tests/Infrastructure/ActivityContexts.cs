using Microsoft.DurableTask;
using Moq;

namespace Orchestration.Workflows.Tests.Infrastructure;

internal static class ActivityContexts
{
    /// <summary>A <see cref="TaskActivityContext"/> (abstract Name and InstanceId) for running an activity directly.</summary>
    public static TaskActivityContext For(string activity, string instanceId = "instance-1")
    {
        var mock = new Mock<TaskActivityContext>();
        mock.SetupGet(c => c.Name).Returns(new TaskName(activity));
        mock.SetupGet(c => c.InstanceId).Returns(instanceId);
        return mock.Object;
    }
}

using DurableTask.Core.Exceptions;
using Microsoft.DurableTask.Client;
using Orchestration.Workflows.Tests.Infrastructure;
using Orchestration.Workflows.Triggers;

namespace Orchestration.Workflows.Tests.Triggers;

[TestClass]
public sealed class InstanceStatesTests
{
    [TestMethod]
    [DataRow(OrchestrationRuntimeStatus.Completed)]
    [DataRow(OrchestrationRuntimeStatus.Failed)]
    [DataRow(OrchestrationRuntimeStatus.Terminated)]
    public void IsTerminal_FinishedStatus_True(OrchestrationRuntimeStatus status)
    {
        Assert.IsTrue(InstanceStates.IsTerminal(status));
    }

    [TestMethod]
    [DataRow(OrchestrationRuntimeStatus.Running)]
    [DataRow(OrchestrationRuntimeStatus.Pending)]
    [DataRow(OrchestrationRuntimeStatus.Suspended)]
    public void IsTerminal_AliveStatus_False(OrchestrationRuntimeStatus status)
    {
        Assert.IsFalse(InstanceStates.IsTerminal(status));
    }

    [TestMethod]
    public void AllStatusNames_EveryRuntimeStatus()
    {
        CollectionAssert.AreEquivalent(
            new[] { "Running", "Completed", "ContinuedAsNew", "Failed", "Canceled", "Terminated", "Pending", "Suspended" },
            InstanceStates.AllStatusNames.ToArray());
    }

    [TestMethod]
    public void ActiveStatusNames_PendingRunningSuspended()
    {
        CollectionAssert.AreEquivalent(new[] { "Pending", "Running", "Suspended" }, InstanceStates.ActiveStatusNames.ToArray());
    }

    [TestMethod]
    [DataRow("Status(StatusCode=\"AlreadyExists\", Detail=\"x\")")]
    [DataRow("An orchestration with id 'x' ALREADY EXISTS")]
    public void IsAlreadyExists_RpcExceptionSayingSo_True(string message)
    {
        Assert.IsTrue(InstanceStates.IsAlreadyExists(new RpcException(message)));
    }

    [TestMethod]
    public void IsAlreadyExists_CoreOrchestrationAlreadyExists_True()
    {
        Assert.IsTrue(InstanceStates.IsAlreadyExists(new OrchestrationAlreadyExistsException("An orchestration with id 'x' already exists.")));
    }

    [TestMethod]
    public void IsAlreadyExists_RpcExceptionOtherStatus_False()
    {
        Assert.IsFalse(InstanceStates.IsAlreadyExists(new RpcException("Status(StatusCode=\"Unavailable\")")));
    }

    [TestMethod]
    public void IsAlreadyExists_OtherTypeWithTheWords_False()
    {
        Assert.IsFalse(InstanceStates.IsAlreadyExists(new InvalidOperationException("AlreadyExists")));
    }
}

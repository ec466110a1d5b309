using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Moq;
using Orchestration.Workflows.Tests.Infrastructure;

namespace Orchestration.Workflows.Tests.Http;

/// <summary>Terminate, suspend and resume: the state changes that share one guard.</summary>
[TestClass]
public sealed class WorkflowApiLifecycleTests
{
    static async Task<HttpOutcome> Post(ClientFake client, string operation, string instanceId, string? query = null)
    {
        HttpRequest request = HttpFake.Request("POST", $"/api/instances/{instanceId}/{operation}", query);
        var api = HttpFake.Api();
        IResult result = operation switch
        {
            "terminate" => await api.TerminateAsync(request, client.Object, instanceId, CancellationToken.None),
            "suspend" => await api.SuspendAsync(request, client.Object, instanceId, CancellationToken.None),
            "resume" => await api.ResumeAsync(request, client.Object, instanceId, CancellationToken.None),
            _ => throw new ArgumentOutOfRangeException(nameof(operation)),
        };
        return await HttpFake.ExecuteAsync(request, result);
    }

    [TestMethod]
    [DataRow(OrchestrationRuntimeStatus.Completed)]
    [DataRow(OrchestrationRuntimeStatus.Failed)]
    [DataRow(OrchestrationRuntimeStatus.Terminated)]
    public async Task TerminateAsync_Finished_409AndNotTerminated(OrchestrationRuntimeStatus status)
    {
        var client = new ClientFake().WithInstance("i-1", status);

        HttpOutcome outcome = await Post(client, "terminate", "i-1");

        Assert.Contains(status.ToString(), outcome.ProblemDetail(409));
        client.Mock.Verify(c => c.TerminateInstanceAsync(It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [TestMethod]
    public async Task TerminateAsync_Running_202AndTerminatesWithTheReason()
    {
        var client = new ClientFake().WithInstance("i-1", OrchestrationRuntimeStatus.Running);

        HttpOutcome outcome = await Post(client, "terminate", "i-1", "?reason=no%20longer%20needed");

        Assert.AreEqual(202, outcome.Status, outcome.Body);
        Assert.AreEqual("i-1", outcome.Json.GetProperty("id").GetString());
        client.Mock.Verify(c => c.TerminateInstanceAsync("i-1", "no longer needed", It.IsAny<CancellationToken>()), Times.Once);
    }

    [TestMethod]
    public async Task TerminateAsync_Unknown_404()
    {
        HttpOutcome outcome = await Post(new ClientFake().WithInstance("i-9", null), "terminate", "i-9");

        outcome.ProblemDetail(404);
    }

    [TestMethod]
    public async Task TerminateAsync_ReasonOver1000Chars_400()
    {
        var client = new ClientFake().WithInstance("i-1", OrchestrationRuntimeStatus.Running);

        HttpOutcome outcome = await Post(client, "terminate", "i-1", "?reason=" + new string('r', 1001));

        Assert.StartsWith("reason:", outcome.ProblemDetail(400));
    }

    [TestMethod]
    public async Task TerminateAsync_BadId_400()
    {
        HttpOutcome outcome = await Post(new ClientFake(), "terminate", "a/b");

        outcome.ProblemDetail(400);
    }

    [TestMethod]
    [DataRow(OrchestrationRuntimeStatus.Suspended)]
    [DataRow(OrchestrationRuntimeStatus.Completed)]
    public async Task SuspendAsync_NotRunning_409(OrchestrationRuntimeStatus status)
    {
        var client = new ClientFake().WithInstance("i-2", status);

        HttpOutcome outcome = await Post(client, "suspend", "i-2");

        outcome.ProblemDetail(409);
        client.Mock.Verify(c => c.SuspendInstanceAsync(It.IsAny<string>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [TestMethod]
    [DataRow(OrchestrationRuntimeStatus.Running)]
    [DataRow(OrchestrationRuntimeStatus.Pending)]
    public async Task SuspendAsync_Alive_202AndSuspends(OrchestrationRuntimeStatus status)
    {
        var client = new ClientFake().WithInstance("i-2", status);

        HttpOutcome outcome = await Post(client, "suspend", "i-2", "?reason=maintenance");

        Assert.AreEqual(202, outcome.Status, outcome.Body);
        client.Mock.Verify(c => c.SuspendInstanceAsync("i-2", "maintenance", It.IsAny<CancellationToken>()), Times.Once);
    }

    [TestMethod]
    [DataRow(OrchestrationRuntimeStatus.Running)]
    [DataRow(OrchestrationRuntimeStatus.Completed)]
    public async Task ResumeAsync_NotSuspended_409(OrchestrationRuntimeStatus status)
    {
        var client = new ClientFake().WithInstance("i-3", status);

        HttpOutcome outcome = await Post(client, "resume", "i-3");

        outcome.ProblemDetail(409);
        client.Mock.Verify(c => c.ResumeInstanceAsync(It.IsAny<string>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [TestMethod]
    public async Task ResumeAsync_Suspended_202AndResumes()
    {
        var client = new ClientFake().WithInstance("i-3", OrchestrationRuntimeStatus.Suspended);

        HttpOutcome outcome = await Post(client, "resume", "i-3");

        Assert.AreEqual(202, outcome.Status, outcome.Body);
        client.Mock.Verify(c => c.ResumeInstanceAsync("i-3", null, It.IsAny<CancellationToken>()), Times.Once);
    }
}

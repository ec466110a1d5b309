using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Moq;
using Orchestration.Workflows.Tests.Infrastructure;

namespace Orchestration.Workflows.Tests.Http;

[TestClass]
public sealed class WorkflowApiRestartTests
{
    static async Task<HttpOutcome> Restart(ClientFake client, string instanceId, string? query = null)
    {
        HttpRequest request = HttpFake.Request("POST", $"/api/instances/{instanceId}/restart", query);
        IResult result = await HttpFake.Api().RestartAsync(request, client.Object, instanceId, CancellationToken.None);
        return await HttpFake.ExecuteAsync(request, result);
    }

    static ClientFake WithFinished(string id, OrchestrationRuntimeStatus status = OrchestrationRuntimeStatus.Completed) =>
        new ClientFake().WithInstance(id, new OrchestrationMetadata("CountdownOrchestrator", id)
        {
            RuntimeStatus = status,
            SerializedInput = """{"remaining":3,"intervalSeconds":2,"ticked":0}""",
        });

    [TestMethod]
    [DataRow(OrchestrationRuntimeStatus.Running)]
    [DataRow(OrchestrationRuntimeStatus.Suspended)]
    public async Task RestartAsync_Alive_409AndNothingScheduled(OrchestrationRuntimeStatus status)
    {
        var client = new ClientFake().WithInstance("cd-1", status, "CountdownOrchestrator");

        HttpOutcome outcome = await Restart(client, "cd-1");

        outcome.ProblemDetail(409);
        Assert.IsEmpty(client.Starts);
    }

    [TestMethod]
    public async Task RestartAsync_Completed_SchedulesSameOrchestratorWithOriginalInputUnderSameId()
    {
        ClientFake client = WithFinished("cd-1");

        HttpOutcome outcome = await Restart(client, "cd-1");

        Assert.AreEqual(202, outcome.Status, outcome.Body);
        ScheduledStart start = client.Starts.Single();
        Assert.AreEqual("CountdownOrchestrator", start.Orchestrator);
        Assert.AreEqual("cd-1", start.Options?.InstanceId);
        var input = (JsonElement)start.Input!;
        Assert.AreEqual(3, input.GetProperty("remaining").GetInt32());
        Assert.AreEqual(2, input.GetProperty("intervalSeconds").GetInt32());
        Assert.AreEqual("https://func.example.net/api/instances/cd-1", outcome.Headers.Location.ToString());
        Assert.AreEqual("cd-1", outcome.Json.GetProperty("id").GetString());
    }

    [TestMethod]
    public async Task RestartAsync_Failed_AllowedLikeCompleted()
    {
        ClientFake client = WithFinished("cd-1", OrchestrationRuntimeStatus.Failed);

        HttpOutcome outcome = await Restart(client, "cd-1");

        Assert.AreEqual(202, outcome.Status);
        Assert.HasCount(1, client.Starts);
    }

    [TestMethod]
    public async Task RestartAsync_NewInstanceId_SchedulesUnderADifferentIdAndPointsThere()
    {
        ClientFake client = WithFinished("cd-1");

        HttpOutcome outcome = await Restart(client, "cd-1", "?newInstanceId=true");

        Assert.AreEqual(202, outcome.Status, outcome.Body);
        string? newId = client.Starts.Single().Options?.InstanceId;
        Assert.IsFalse(string.IsNullOrEmpty(newId));
        Assert.AreNotEqual("cd-1", newId);
        Assert.AreEqual(newId, outcome.Json.GetProperty("id").GetString());
        Assert.AreEqual($"https://func.example.net/api/instances/{newId}", outcome.Headers.Location.ToString());
    }

    [TestMethod]
    public async Task RestartAsync_Unknown_404()
    {
        var client = new ClientFake().WithInstance("cd-9", null);

        HttpOutcome outcome = await Restart(client, "cd-9");

        outcome.ProblemDetail(404);
        Assert.IsEmpty(client.Starts);
    }

    [TestMethod]
    public async Task RestartAsync_NewInstanceIdNotABool_400()
    {
        HttpOutcome outcome = await Restart(WithFinished("cd-1"), "cd-1", "?newInstanceId=sure");

        Assert.StartsWith("newInstanceId:", outcome.ProblemDetail(400));
    }

    [TestMethod]
    public async Task RestartAsync_RestartedConcurrently_409()
    {
        ClientFake client = WithFinished("cd-1");
        client.Mock.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RpcException("Status(StatusCode=\"AlreadyExists\")"));

        HttpOutcome outcome = await Restart(client, "cd-1");

        outcome.ProblemDetail(409);
    }

    [TestMethod]
    [DataRow("BlobDigestOrchestrator", """{"container":"azure-webjobs-hosts","name":"secret.txt"}""", "samples-in")]
    [DataRow("ImagePipelineOrchestrator", """{"container":"azure-webjobs-hosts","prefix":""}""", "images-in")]
    [DataRow("FraudScanOrchestrator", """{"container":"other-data","name":"2026-11-24/e.csv"}""", "market-events")]
    public async Task RestartAsync_StoredInputNamesAContainerOffTheAllowList_422AndNothingScheduled(string orchestrator, string input, string allowed)
    {
        ClientFake client = new ClientFake().WithInstance("old-1", new OrchestrationMetadata(orchestrator, "old-1")
        {
            RuntimeStatus = OrchestrationRuntimeStatus.Completed,
            SerializedInput = input,
        });

        HttpOutcome outcome = await Restart(client, "old-1");

        Assert.Contains(allowed, outcome.ProblemDetail(422));
        Assert.IsEmpty(client.Starts);
    }

    [TestMethod]
    public async Task RestartAsync_StoredInputInAnAllowedContainer_Restarts()
    {
        ClientFake client = new ClientFake().WithInstance("ok-1", new OrchestrationMetadata("BlobDigestOrchestrator", "ok-1")
        {
            RuntimeStatus = OrchestrationRuntimeStatus.Failed,
            SerializedInput = """{"container":"samples-in","name":"a.txt","eTag":"\"0x1\""}""",
        });

        HttpOutcome outcome = await Restart(client, "ok-1");

        Assert.AreEqual(202, outcome.Status, outcome.Body);
        Assert.HasCount(1, client.Starts);
    }
}

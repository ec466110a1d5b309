using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Moq;
using Orchestration.Workflows.Samples;
using Orchestration.Workflows.Tests.Infrastructure;

namespace Orchestration.Workflows.Tests.Http;

[TestClass]
public sealed class WorkflowApiStartTests
{
    static async Task<HttpOutcome> Start(ClientFake client, string workflow, string? query = null, string? body = null)
    {
        HttpRequest request = HttpFake.Request("POST", $"/api/workflows/{workflow}", query, body);
        IResult result = await HttpFake.Api().StartAsync(request, client.Object, workflow, CancellationToken.None);
        return await HttpFake.ExecuteAsync(request, result);
    }

    [TestMethod]
    public async Task StartAsync_UnknownWorkflow_404ListingTheWorkflows()
    {
        var client = new ClientFake();

        HttpOutcome outcome = await Start(client, "no-such-flow", body: "{}");

        string detail = outcome.ProblemDetail(404);
        Assert.Contains("'no-such-flow'", detail);
        Assert.Contains("fan-out", detail);
        Assert.IsEmpty(client.Starts);
    }

    [TestMethod]
    public async Task StartAsync_FanOut_202WithLocationRetryAfterAndCheckStatusPayload()
    {
        var client = new ClientFake();

        HttpOutcome outcome = await Start(client, "fan-out", body: """{"count":5}""");

        Assert.AreEqual(202, outcome.Status, outcome.Body);
        JsonElement json = outcome.Json;
        const string instance = "https://func.example.net/api/instances/generated-0001";
        Assert.AreEqual("generated-0001", json.GetProperty("id").GetString());
        Assert.AreEqual(instance, json.GetProperty("statusQueryGetUri").GetString());
        Assert.AreEqual(instance + "/raiseEvent/{eventName}", json.GetProperty("sendEventPostUri").GetString());
        Assert.AreEqual(instance + "/terminate?reason={text}", json.GetProperty("terminatePostUri").GetString());
        Assert.AreEqual(instance, json.GetProperty("purgeHistoryDeleteUri").GetString());
        Assert.AreEqual(instance + "/suspend?reason={text}", json.GetProperty("suspendPostUri").GetString());
        Assert.AreEqual(instance + "/resume?reason={text}", json.GetProperty("resumePostUri").GetString());
        Assert.AreEqual(instance + "/restart", json.GetProperty("restartPostUri").GetString());
        Assert.AreEqual(instance, outcome.Headers.Location.ToString());
        Assert.AreEqual("1", outcome.Headers.RetryAfter.ToString());
    }

    [TestMethod]
    public async Task StartAsync_FanOut_SchedulesTheOrchestratorWithTheTypedInput()
    {
        var client = new ClientFake();

        await Start(client, "FAN-OUT", body: """{"count":5,"batchSize":2}""");

        ScheduledStart start = client.Starts.Single();
        Assert.AreEqual(nameof(FanOutOrchestrator), start.Orchestrator);
        Assert.AreEqual(new FanOutInput(5, 2), start.Input);
        Assert.IsNull(start.Options?.InstanceId);
    }

    [TestMethod]
    public async Task StartAsync_HelloSequenceWithoutBody_SchedulesWithNullInput()
    {
        var client = new ClientFake();

        HttpOutcome outcome = await Start(client, "hello-sequence");

        Assert.AreEqual(202, outcome.Status);
        ScheduledStart start = client.Starts.Single();
        Assert.AreEqual(nameof(HelloSequenceOrchestrator), start.Orchestrator);
        Assert.IsNull(start.Input);
    }

    [TestMethod]
    public async Task StartAsync_MalformedJson_400NamingLineAndPosition()
    {
        var client = new ClientFake();

        HttpOutcome outcome = await Start(client, "fan-out", body: "{\"count\": 5,,}");

        string detail = outcome.ProblemDetail(400);
        Assert.Contains("line 1", detail);
        Assert.Contains("position", detail);
        Assert.IsEmpty(client.Starts);
    }

    [TestMethod]
    public async Task StartAsync_UnknownField_400NamingTheField()
    {
        var client = new ClientFake();

        HttpOutcome outcome = await Start(client, "fan-out", body: """{"count":5,"colour":"red"}""");

        Assert.Contains("colour", outcome.ProblemDetail(400));
        Assert.IsEmpty(client.Starts);
    }

    [TestMethod]
    public async Task StartAsync_WrongJsonType_400()
    {
        var client = new ClientFake();

        HttpOutcome outcome = await Start(client, "fan-out", body: """{"count":"five"}""");

        outcome.ProblemDetail(400);
        Assert.IsEmpty(client.Starts);
    }

    [TestMethod]
    public async Task StartAsync_FanOutCountZero_422WithErrorsNamingCount()
    {
        var client = new ClientFake();

        HttpOutcome outcome = await Start(client, "fan-out", body: """{"count":0}""");

        outcome.ProblemDetail(422);
        string[] errors = outcome.Json.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.HasCount(1, errors);
        Assert.StartsWith("count:", errors[0]);
        Assert.IsEmpty(client.Starts);
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("null")]
    public async Task StartAsync_ApprovalWithoutInput_422(string? body)
    {
        var client = new ClientFake();

        HttpOutcome outcome = await Start(client, "approval", body: body);

        outcome.ProblemDetail(422);
        Assert.AreEqual("body: required", outcome.Json.GetProperty("errors")[0].GetString());
        Assert.IsEmpty(client.Starts);
    }

    [TestMethod]
    public async Task StartAsync_BodyOverOneMiBByContentLength_413()
    {
        var client = new ClientFake();
        HttpRequest request = HttpFake.Request("POST", "/api/workflows/fan-out", null, new byte[(1024 * 1024) + 1]);

        HttpOutcome outcome = await HttpFake.ExecuteAsync(request, await HttpFake.Api().StartAsync(request, client.Object, "fan-out", CancellationToken.None));

        Assert.Contains("1048577 bytes", outcome.ProblemDetail(413));
        Assert.IsEmpty(client.Starts);
    }

    [TestMethod]
    public async Task StartAsync_ChunkedBodyOverOneMiB_413()
    {
        var client = new ClientFake();
        byte[] body = Encoding.UTF8.GetBytes("{\"count\":5,\"pad\":\"" + new string('x', 1024 * 1024) + "\"}");
        HttpRequest request = HttpFake.Request("POST", "/api/workflows/fan-out", null, body, chunked: true);
        Assert.IsNull(request.ContentLength);

        HttpOutcome outcome = await HttpFake.ExecuteAsync(request, await HttpFake.Api().StartAsync(request, client.Object, "fan-out", CancellationToken.None));

        outcome.ProblemDetail(413);
        Assert.IsEmpty(client.Starts);
    }

    [TestMethod]
    [DataRow("a/b")]
    [DataRow("a\\b")]
    [DataRow("a#b")]
    [DataRow("a?b")]
    [DataRow("tab\there")]
    [DataRow("nul\0")]
    [DataRow("   ")]
    public async Task StartAsync_BadInstanceId_400(string instanceId)
    {
        var client = new ClientFake();

        HttpOutcome outcome = await Start(client, "fan-out", QueryString.Create("instanceId", instanceId).Value, "{}");

        Assert.StartsWith("instanceId:", outcome.ProblemDetail(400));
        Assert.IsEmpty(client.Starts);
    }

    [TestMethod]
    public async Task StartAsync_257CharInstanceId_400()
    {
        var client = new ClientFake();

        HttpOutcome outcome = await Start(client, "fan-out", "?instanceId=" + new string('i', 257), "{}");

        Assert.Contains("256", outcome.ProblemDetail(400));
    }

    [TestMethod]
    public async Task StartAsync_256CharInstanceId_Accepted()
    {
        string id = new('i', 256);
        var client = new ClientFake().WithInstance(id, null);

        HttpOutcome outcome = await Start(client, "fan-out", "?instanceId=" + id, "{}");

        Assert.AreEqual(202, outcome.Status, outcome.Body);
        Assert.AreEqual(id, client.Starts.Single().Options?.InstanceId);
    }

    [TestMethod]
    [DataRow(OrchestrationRuntimeStatus.Running)]
    [DataRow(OrchestrationRuntimeStatus.Pending)]
    [DataRow(OrchestrationRuntimeStatus.Suspended)]
    public async Task StartAsync_CallerIdOfAliveInstance_409(OrchestrationRuntimeStatus status)
    {
        var client = new ClientFake().WithInstance("order-1", status);

        HttpOutcome outcome = await Start(client, "fan-out", "?instanceId=order-1", "{}");

        Assert.Contains("order-1", outcome.ProblemDetail(409));
        Assert.IsEmpty(client.Starts);
    }

    [TestMethod]
    public async Task StartAsync_CallerIdOfCompletedInstance_SchedulesUnderThatIdReplacingOnlyFinished()
    {
        var client = new ClientFake().WithInstance("order-1", OrchestrationRuntimeStatus.Completed);

        HttpOutcome outcome = await Start(client, "fan-out", "?instanceId=order-1", "{}");

        Assert.AreEqual(202, outcome.Status);
        StartOrchestrationOptions? options = client.Starts.Single().Options;
        Assert.AreEqual("order-1", options?.InstanceId);
        CollectionAssert.AreEquivalent(new[] { "Pending", "Running", "Suspended" }, options?.DedupeStatuses?.ToArray());
        Assert.AreEqual("https://func.example.net/api/instances/order-1", outcome.Headers.Location.ToString());
    }

    [TestMethod]
    public async Task StartAsync_CallerIdTakenDuringStart_409()
    {
        var client = new ClientFake().WithInstance("order-2", null);
        client.Mock.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RpcException("Status(StatusCode=\"AlreadyExists\")"));

        HttpOutcome outcome = await Start(client, "fan-out", "?instanceId=order-2", "{}");

        outcome.ProblemDetail(409);
    }

    [TestMethod]
    [DataRow("abc")]
    [DataRow("61")]
    [DataRow("-1")]
    [DataRow("1.5")]
    public async Task StartAsync_BadWait_400(string wait)
    {
        var client = new ClientFake();

        HttpOutcome outcome = await Start(client, "fan-out", "?wait=" + wait, "{}");

        Assert.StartsWith("wait:", outcome.ProblemDetail(400));
        Assert.IsEmpty(client.Starts);
    }

    [TestMethod]
    public async Task StartAsync_WaitAndFinishesInTime_200WithTheOutput()
    {
        var client = new ClientFake();
        client.Mock.Setup(c => c.WaitForInstanceCompletionAsync("generated-0001", true, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrchestrationMetadata(nameof(FanOutOrchestrator), "generated-0001")
            {
                RuntimeStatus = OrchestrationRuntimeStatus.Completed,
                SerializedOutput = """{"count":3,"sumOfSquares":5,"batches":1}""",
            });

        HttpOutcome outcome = await Start(client, "fan-out", "?wait=60", """{"count":3}""");

        Assert.AreEqual(200, outcome.Status, outcome.Body);
        Assert.AreEqual(5, outcome.Json.GetProperty("output").GetProperty("sumOfSquares").GetInt64());
        Assert.AreEqual("https://func.example.net/api/instances/generated-0001", outcome.Headers.Location.ToString());
    }

    [TestMethod]
    public async Task StartAsync_WaitButNotFinished_202()
    {
        var client = new ClientFake();
        client.Mock.Setup(c => c.WaitForInstanceCompletionAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new OperationCanceledException());

        HttpOutcome outcome = await Start(client, "fan-out", "?wait=1", """{"count":3}""");

        Assert.AreEqual(202, outcome.Status, outcome.Body);
        Assert.AreEqual("generated-0001", outcome.Json.GetProperty("id").GetString());
    }
}

using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Orchestration.Workflows.Http;
using Orchestration.Workflows.Tests.Infrastructure;

namespace Orchestration.Workflows.Tests.Http;

[TestClass]
public sealed class WorkflowApiGetTests
{
    static async Task<HttpOutcome> Get(ClientFake client, string instanceId, string? query = null, WorkflowApi? api = null)
    {
        HttpRequest request = HttpFake.Request("GET", $"/api/instances/{instanceId}", query);
        IResult result = await (api ?? HttpFake.Api()).GetAsync(request, client.Object, instanceId, CancellationToken.None);
        return await HttpFake.ExecuteAsync(request, result);
    }

    static OrchestrationMetadata Completed(string id) => new("FanOutOrchestrator", id)
    {
        RuntimeStatus = OrchestrationRuntimeStatus.Completed,
        SerializedInput = """{"count":3}""",
        SerializedOutput = """{"count":3,"sumOfSquares":5,"batches":1}""",
        SerializedCustomStatus = """{"stage":"fan-in","done":3,"total":3}""",
        CreatedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        LastUpdatedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 9, TimeSpan.Zero),
    };

    [TestMethod]
    public async Task GetAsync_UnknownInstance_404()
    {
        var client = new ClientFake().WithInstance("ghost", null);

        HttpOutcome outcome = await Get(client, "ghost");

        Assert.Contains("'ghost'", outcome.ProblemDetail(404));
    }

    [TestMethod]
    [DataRow("a/b")]
    [DataRow("bell\u0007")]
    [DataRow("")]
    public async Task GetAsync_BadInstanceId_400WithoutLookingItUp(string instanceId)
    {
        var client = new ClientFake();

        HttpOutcome outcome = await Get(client, instanceId);

        outcome.ProblemDetail(400);
        client.Mock.Verify(c => c.GetInstanceAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [TestMethod]
    public async Task GetAsync_257CharInstanceId_400()
    {
        HttpOutcome outcome = await Get(new ClientFake(), new string('x', 257));

        outcome.ProblemDetail(400);
    }

    [TestMethod]
    public async Task GetAsync_Running_202WithStatusAndCustomStatus()
    {
        var client = new ClientFake().WithInstance("run-1", new OrchestrationMetadata("ApprovalOrchestrator", "run-1")
        {
            RuntimeStatus = OrchestrationRuntimeStatus.Running,
            SerializedCustomStatus = """{"stage":"waiting-for-decision","done":0,"total":1}""",
        });

        HttpOutcome outcome = await Get(client, "run-1");

        Assert.AreEqual(202, outcome.Status);
        JsonElement json = outcome.Json;
        Assert.AreEqual("run-1", json.GetProperty("instanceId").GetString());
        Assert.AreEqual("approval", json.GetProperty("workflow").GetString());
        Assert.AreEqual("Running", json.GetProperty("runtimeStatus").GetString());
        Assert.AreEqual("waiting-for-decision", json.GetProperty("customStatus").GetProperty("stage").GetString());
    }

    [TestMethod]
    public async Task GetAsync_Completed_200WithOutputEmbeddedAsJson()
    {
        var client = new ClientFake().WithInstance("done-1", Completed("done-1"));

        HttpOutcome outcome = await Get(client, "done-1");

        Assert.AreEqual(200, outcome.Status);
        JsonElement output = outcome.Json.GetProperty("output");
        Assert.AreEqual(JsonValueKind.Object, output.ValueKind, "the output is the orchestration's JSON, not a string holding it");
        Assert.AreEqual(5, output.GetProperty("sumOfSquares").GetInt64());
        Assert.AreEqual("fan-out", outcome.Json.GetProperty("workflow").GetString());
    }

    [TestMethod]
    public async Task GetAsync_Completed_RuntimeStatusIsAStringLikeOn202()
    {
        var client = new ClientFake().WithInstance("done-1", Completed("done-1"));

        HttpOutcome outcome = await Get(client, "done-1");

        Assert.AreEqual(200, outcome.Status);
        Assert.AreEqual("Completed", outcome.Json.GetProperty("runtimeStatus").ToString());
    }

    [TestMethod]
    public async Task GetAsync_WithoutShowInput_OmitsInput()
    {
        var client = new ClientFake().WithInstance("done-1", Completed("done-1"));

        HttpOutcome outcome = await Get(client, "done-1");

        Assert.IsFalse(outcome.Json.TryGetProperty("input", out JsonElement input) && input.ValueKind != JsonValueKind.Null);
    }

    [TestMethod]
    [DataRow("?showInput=true")]
    [DataRow("?showInput")]
    public async Task GetAsync_ShowInput_IncludesInput(string query)
    {
        var client = new ClientFake().WithInstance("done-1", Completed("done-1"));

        HttpOutcome outcome = await Get(client, "done-1", query);

        Assert.AreEqual(3, outcome.Json.GetProperty("input").GetProperty("count").GetInt32());
    }

    [TestMethod]
    public async Task GetAsync_ShowInputNotABool_400()
    {
        HttpOutcome outcome = await Get(new ClientFake().WithInstance("done-1", Completed("done-1")), "done-1", "?showInput=maybe");

        Assert.StartsWith("showInput:", outcome.ProblemDetail(400));
    }

    [TestMethod]
    public async Task GetAsync_OutputNotJson_EmbeddedAsString()
    {
        var client = new ClientFake().WithInstance("odd-1", new OrchestrationMetadata("X", "odd-1")
        {
            RuntimeStatus = OrchestrationRuntimeStatus.Completed,
            SerializedOutput = "plain text",
        });

        HttpOutcome outcome = await Get(client, "odd-1");

        Assert.AreEqual("plain text", outcome.Json.GetProperty("output").GetString());
    }

    [TestMethod]
    public async Task GetAsync_Failed_FailureDetailsWithTypeMessageAndInner()
    {
        var client = new ClientFake().WithInstance("bad-1", new OrchestrationMetadata("BlobDigestOrchestrator", "bad-1")
        {
            RuntimeStatus = OrchestrationRuntimeStatus.Failed,
            FailureDetails = new TaskFailureDetails(
                "Microsoft.DurableTask.TaskFailedException",
                "Task 'ComputeBlobDigestActivity' failed",
                "at X",
                new TaskFailureDetails("System.InvalidOperationException", "Blob 'samples-in/x' does not exist.", null, null, null),
                null),
        });

        HttpOutcome outcome = await Get(client, "bad-1");

        Assert.AreEqual(200, outcome.Status);
        JsonElement failure = outcome.Json.GetProperty("failureDetails");
        Assert.AreEqual("Microsoft.DurableTask.TaskFailedException", failure.GetProperty("errorType").GetString());
        Assert.AreEqual("Task 'ComputeBlobDigestActivity' failed", failure.GetProperty("errorMessage").GetString());
        Assert.AreEqual("System.InvalidOperationException", failure.GetProperty("innerFailure").GetProperty("errorType").GetString());
        Assert.AreEqual("Blob 'samples-in/x' does not exist.", failure.GetProperty("innerFailure").GetProperty("errorMessage").GetString());
    }

    [TestMethod]
    public async Task GetAsync_ShowHistoryUnsupported_501()
    {
        var client = new ClientFake().WithInstance("done-1", Completed("done-1"));
        client.Mock.Setup(c => c.GetOrchestrationHistoryAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new NotSupportedException("no history here"));

        HttpOutcome outcome = await Get(client, "done-1", "?showHistory=true");

        Assert.Contains("no history here", outcome.ProblemDetail(501));
    }

    [TestMethod]
    public async Task GetAsync_ShowHistory_IncludesWhatTheReaderReturns()
    {
        var client = new ClientFake().WithInstance("done-1", Completed("done-1"));
        var reader = new Mock<IHistoryReader>();
        reader.Setup(r => r.ReadAsync(client.Object, "done-1", It.IsAny<CancellationToken>()))
            .ReturnsAsync([JsonSerializer.SerializeToElement(new { eventType = "ExecutionStarted" })]);

        HttpOutcome outcome = await Get(client, "done-1", "?showHistory=true", HttpFake.Api(reader.Object));

        Assert.AreEqual("ExecutionStarted", outcome.Json.GetProperty("history")[0].GetProperty("eventType").GetString());
    }
}

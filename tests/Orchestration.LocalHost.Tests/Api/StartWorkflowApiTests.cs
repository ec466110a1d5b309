using System.Net;
using System.Text.Json;
using Orchestration.LocalHost.Tests.Infrastructure;
using Orchestration.Workflows.Catalog;
using Orchestration.Workflows.Samples;

namespace Orchestration.LocalHost.Tests.Api;

/// <summary>GET /api/workflows, POST /api/workflows/{workflow} and GET /api/health: the success paths.</summary>
[TestClass]
public sealed class StartWorkflowApiTests : ApiTestBase
{
    static readonly string[] ManagementUris =
        ["statusQueryGetUri", "sendEventPostUri", "terminatePostUri", "purgeHistoryDeleteUri", "suspendPostUri", "resumePostUri", "restartPostUri"];

    [TestMethod]
    public async Task ListWorkflows_Always_ReturnsTheCatalogWithAbsoluteStartUris()
    {
        await using TestHost host = await StartHostAsync();

        using HttpResponseMessage response = await host.Http.GetAsync(new Uri("api/workflows", UriKind.Relative), Ct);

        JsonElement list = await response.ExpectJsonAsync(HttpStatusCode.OK, Ct);
        Assert.AreEqual(JsonValueKind.Array, list.ValueKind);
        Assert.AreEqual(WorkflowCatalog.Workflows.Count, list.GetArrayLength(), list.ToString());
        for (int i = 0; i < WorkflowCatalog.Workflows.Count; i++)
        {
            WorkflowDefinition expected = WorkflowCatalog.Workflows[i];
            JsonElement actual = list[i];
            Assert.AreEqual(expected.Name, actual.GetProperty("name").GetString());
            Assert.AreEqual(expected.Orchestrator, actual.GetProperty("orchestrator").GetString());
            Assert.AreEqual(expected.Description, actual.GetProperty("description").GetString());
            Assert.AreEqual(expected.InputRequired, actual.GetProperty("inputRequired").GetBoolean());
            Assert.AreEqual(new Uri(host.Http.BaseAddress!, $"api/workflows/{expected.Name}").AbsoluteUri, actual.GetProperty("startUri").GetString());
        }
    }

    [TestMethod]
    public async Task StartWorkflow_HelloSequence_Returns202WithLocationAndEveryManagementUri()
    {
        await using TestHost host = await StartHostAsync();

        using HttpResponseMessage response = await host.Http.PostAsync(new Uri("api/workflows/hello-sequence", UriKind.Relative), null, Ct);

        JsonElement payload = await response.ExpectJsonAsync(HttpStatusCode.Accepted, Ct);
        string id = payload.GetProperty("id").GetString()!;
        Assert.IsFalse(string.IsNullOrWhiteSpace(id));
        Assert.AreEqual(1 + ManagementUris.Length, payload.EnumerateObject().Count(), $"id and the 7 URIs, nothing else: {payload}");
        string statusUri = payload.GetProperty("statusQueryGetUri").GetString()!;
        Assert.AreEqual(statusUri, response.Headers.Location?.AbsoluteUri, "Location is the status URI");
        Assert.AreEqual("1", response.Headers.RetryAfter?.ToString());

        string instanceUri = new Uri(host.Http.BaseAddress!, InstancePath(id)).AbsoluteUri;
        Assert.AreEqual(instanceUri, statusUri);
        Assert.AreEqual(instanceUri, payload.GetProperty("purgeHistoryDeleteUri").GetString());
        Assert.AreEqual($"{instanceUri}/raiseEvent/{{eventName}}", payload.GetProperty("sendEventPostUri").GetString());
        Assert.AreEqual($"{instanceUri}/terminate?reason={{text}}", payload.GetProperty("terminatePostUri").GetString());
        Assert.AreEqual($"{instanceUri}/suspend?reason={{text}}", payload.GetProperty("suspendPostUri").GetString());
        Assert.AreEqual($"{instanceUri}/resume?reason={{text}}", payload.GetProperty("resumePostUri").GetString());
        Assert.AreEqual($"{instanceUri}/restart", payload.GetProperty("restartPostUri").GetString());
        foreach (string name in ManagementUris)
        {
            Assert.IsTrue(Uri.IsWellFormedUriString(payload.GetProperty(name).GetString()!.Replace("{", "%7B", StringComparison.Ordinal).Replace("}", "%7D", StringComparison.Ordinal), UriKind.Absolute), name);
        }

        // Follow the status URI as given (absolute), as a client would.
        string done = await Eventually.ReturnsAsync(
            async () =>
            {
                using HttpResponseMessage status = await host.Http.GetAsync(new Uri(statusUri, UriKind.Absolute), Ct);
                Assert.IsTrue(status.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted, $"status URI answered {status.StatusCode}");
                return status.StatusCode == HttpStatusCode.OK ? await status.Content.ReadAsStringAsync(Ct) : null;
            },
            Patience,
            "the status URI to answer 200");
        JsonElement final = JsonSerializer.Deserialize<JsonElement>(done);
        Assert.AreEqual(id, final.GetProperty("instanceId").GetString());
        Assert.AreEqual("Completed", final.GetProperty("runtimeStatus").GetString());
        Assert.AreEqual(nameof(HelloSequenceOrchestrator), final.GetProperty("name").GetString());
        Assert.AreEqual("hello-sequence", final.GetProperty("workflow").GetString());
        CollectionAssert.AreEqual(new[] { "Hello, Tokyo!", "Hello, Seattle!", "Hello, London!" }, final.GetProperty("output").Strings());
        JsonElement progress = final.GetProperty("customStatus");
        Assert.AreEqual("done", progress.GetProperty("stage").GetString());
        Assert.AreEqual(3, progress.GetProperty("done").GetInt32());
        Assert.AreEqual(3, progress.GetProperty("total").GetInt32());
    }

    [TestMethod]
    public async Task StartWorkflow_WithWait_Returns200WithCompletedOutput()
    {
        await using TestHost host = await StartHostAsync();

        using HttpResponseMessage response = await host.Http.PostAsync(
            new Uri("api/workflows/hello-sequence?wait=60", UriKind.Relative), Body("""{ "names": ["Ann", "Bo"] }"""), Ct);

        JsonElement status = await response.ExpectJsonAsync(HttpStatusCode.OK, Ct);
        Assert.AreEqual("Completed", status.GetProperty("runtimeStatus").GetString(), status.ToString());
        CollectionAssert.AreEqual(new[] { "Hello, Ann!", "Hello, Bo!" }, status.GetProperty("output").Strings());
        string id = status.GetProperty("instanceId").GetString()!;
        Assert.AreEqual(new Uri(host.Http.BaseAddress!, InstancePath(id)).AbsoluteUri, response.Headers.Location?.AbsoluteUri);
    }

    [TestMethod]
    public async Task StartWorkflow_FanOutWithWait_Returns200WithSumOfSquares()
    {
        await using TestHost host = await StartHostAsync();

        JsonElement status = await RunAsync(host, "fan-out", """{ "count": 5 }""");

        JsonElement output = status.GetProperty("output");
        Assert.AreEqual(5, output.GetProperty("count").GetInt32());
        Assert.AreEqual(0L + 1 + 4 + 9 + 16, output.GetProperty("sumOfSquares").GetInt64());
        Assert.AreEqual(1, output.GetProperty("batches").GetInt32());
    }

    [TestMethod]
    public async Task StartWorkflow_WaitShorterThanTheWorkflow_Returns202()
    {
        await using TestHost host = await StartHostAsync();

        using HttpResponseMessage response = await host.Http.PostAsync(
            new Uri("api/workflows/approval?wait=1", UriKind.Relative), Body("""{ "subject": "slow", "timeoutSeconds": 3600 }"""), Ct);

        JsonElement payload = await response.ExpectJsonAsync(HttpStatusCode.Accepted, Ct);
        Assert.AreEqual(payload.GetProperty("statusQueryGetUri").GetString(), response.Headers.Location?.AbsoluteUri);
    }

    [TestMethod]
    public async Task StartWorkflow_WithCallerInstanceId_UsesThatId()
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("order");

        JsonElement payload = await StartAsync(host, "hello-sequence", """{ "names": ["Cy"] }""", id);

        Assert.AreEqual(id, payload.GetProperty("id").GetString());
        Assert.AreEqual(new Uri(host.Http.BaseAddress!, InstancePath(id)).AbsoluteUri, payload.GetProperty("statusQueryGetUri").GetString());
        JsonElement done = await WaitForStatusAsync(host, id, "Completed");
        Assert.AreEqual(id, done.GetProperty("instanceId").GetString());
        CollectionAssert.AreEqual(new[] { "Hello, Cy!" }, done.GetProperty("output").Strings());
    }

    [TestMethod]
    public async Task StartWorkflow_WorkflowNameInOtherCase_StartsIt()
    {
        await using TestHost host = await StartHostAsync();

        JsonElement status = await RunAsync(host, "Hello-Sequence");

        Assert.AreEqual("hello-sequence", status.GetProperty("workflow").GetString());
    }

    [TestMethod]
    public async Task Health_WithoutKey_Returns200Healthy()
    {
        await using TestHost host = await StartHostAsync();

        using HttpResponseMessage response = await SendWithoutKeyAsync(host, HttpMethod.Get, "api/health");

        JsonElement health = await response.ExpectJsonAsync(HttpStatusCode.OK, Ct);
        Assert.AreEqual("Healthy", health.GetProperty("status").GetString());
        Assert.IsTrue(health.GetProperty("time").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
    }
}

using System.Net;
using System.Text.Json;
using Orchestration.LocalHost.Tests.Infrastructure;
using Orchestration.Workflows.Samples;

namespace Orchestration.LocalHost.Tests.Api;

/// <summary>GET /api/instances/{id}: 202 while alive, 200 when finished, with progress, input on request, and history where the backend keeps it.</summary>
[TestClass]
public sealed class InstanceStatusApiTests : ApiTestBase
{
    [TestMethod]
    public async Task GetInstance_WhileApprovalWaits_Returns202RunningWithProgress()
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("approval");
        await StartApprovalAsync(host, id);

        using HttpResponseMessage response = await host.Http.GetAsync(new Uri(InstancePath(id), UriKind.Relative), Ct);

        JsonElement status = await response.ExpectJsonAsync(HttpStatusCode.Accepted, Ct);
        Assert.AreEqual(id, status.GetProperty("instanceId").GetString());
        Assert.AreEqual("Running", status.GetProperty("runtimeStatus").GetString());
        Assert.AreEqual(nameof(ApprovalOrchestrator), status.GetProperty("name").GetString());
        Assert.AreEqual("approval", status.GetProperty("workflow").GetString());
        JsonElement progress = status.GetProperty("customStatus");
        Assert.AreEqual("waiting-for-decision", progress.GetProperty("stage").GetString());
        Assert.AreEqual(0, progress.GetProperty("done").GetInt32());
        Assert.AreEqual(1, progress.GetProperty("total").GetInt32());
        Assert.IsFalse(status.TryGetProperty("output", out _), status.ToString());
        Assert.IsFalse(status.TryGetProperty("input", out _), "input only with showInput=true");
        Assert.IsFalse(status.TryGetProperty("history", out _), "history only with showHistory=true");
        Assert.IsTrue(status.GetProperty("createdAt").GetDateTimeOffset() <= status.GetProperty("lastUpdatedAt").GetDateTimeOffset());
    }

    [TestMethod]
    public async Task GetInstance_Completed_Returns200WithOutputAndFinalProgress()
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("hello");
        await RunAsync(host, "hello-sequence", """{ "names": ["Di"] }""", id);

        using HttpResponseMessage response = await host.Http.GetAsync(new Uri(InstancePath(id), UriKind.Relative), Ct);

        JsonElement status = await response.ExpectJsonAsync(HttpStatusCode.OK, Ct);
        Assert.AreEqual("Completed", status.GetProperty("runtimeStatus").GetString());
        CollectionAssert.AreEqual(new[] { "Hello, Di!" }, status.GetProperty("output").Strings());
        Assert.AreEqual("done", status.GetProperty("customStatus").GetProperty("stage").GetString());
        Assert.IsFalse(status.TryGetProperty("input", out _), status.ToString());
        Assert.IsFalse(status.TryGetProperty("failureDetails", out _), status.ToString());
    }

    [TestMethod]
    [DataRow("showInput=true")]
    [DataRow("showInput=True")]
    [DataRow("showInput")]
    public async Task GetInstance_ShowInput_IncludesTheInput(string query)
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("hello");
        await RunAsync(host, "hello-sequence", """{ "names": ["Eve", "Fay"] }""", id);

        using HttpResponseMessage response = await host.Http.GetAsync(new Uri($"{InstancePath(id)}?{query}", UriKind.Relative), Ct);

        JsonElement status = await response.ExpectJsonAsync(HttpStatusCode.OK, Ct);
        CollectionAssert.AreEqual(new[] { "Eve", "Fay" }, status.GetProperty("input").GetProperty("names").Strings());
    }

    [TestMethod]
    public async Task GetInstance_ShowHistoryOnInMemory_Returns501Problem()
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("hello");
        await RunAsync(host, "hello-sequence", instanceId: id);

        using HttpResponseMessage response = await host.Http.GetAsync(new Uri($"{InstancePath(id)}?showHistory=true", UriKind.Relative), Ct);

        await response.ExpectProblemAsync(HttpStatusCode.NotImplemented, Ct, "showHistory", "AzureStorage");
    }

    [TestMethod]
    public async Task GetInstance_ShowHistoryFalse_ReturnsStatusWithoutHistory()
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("hello");
        await RunAsync(host, "hello-sequence", instanceId: id);

        using HttpResponseMessage response = await host.Http.GetAsync(new Uri($"{InstancePath(id)}?showHistory=false&showInput=false", UriKind.Relative), Ct);

        JsonElement status = await response.ExpectJsonAsync(HttpStatusCode.OK, Ct);
        Assert.IsFalse(status.TryGetProperty("history", out _), status.ToString());
        Assert.IsFalse(status.TryGetProperty("input", out _), status.ToString());
    }
}

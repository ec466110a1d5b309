using System.Net;
using System.Text.Json;
using Orchestration.LocalHost.Tests.Infrastructure;
using Orchestration.Workflows.Catalog;
using Orchestration.Workflows.Http;

namespace Orchestration.LocalHost.Tests.Api;

/// <summary>404 for what does not exist and 409 for what the instance's state forbids, always as problem+json.</summary>
[TestClass]
public sealed class NotFoundAndConflictApiTests : ApiTestBase
{
    [TestMethod]
    public async Task StartWorkflow_UnknownWorkflow_Returns404ListingTheWorkflows()
    {
        await using TestHost host = await StartHostAsync();

        using HttpResponseMessage response = await host.Http.PostAsync(new Uri("api/workflows/no-such-flow", UriKind.Relative), Body("{}"), Ct);

        await response.ExpectProblemAsync(HttpStatusCode.NotFound, Ct, ["no-such-flow", .. WorkflowCatalog.Workflows.Select(w => w.Name)]);
    }

    [TestMethod]
    public async Task EveryInstanceRoute_UnknownInstance_Returns404NamingTheInstance()
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("ghost");
        HttpEndpointDefinition[] instanceRoutes = ApiRoutes.Endpoints.Where(e => e.Route.Contains("{instanceId}", StringComparison.Ordinal)).ToArray();
        Assert.HasCount(7, instanceRoutes, "get, purge, terminate, suspend, resume, restart, raiseEvent");

        foreach (HttpEndpointDefinition endpoint in instanceRoutes)
        {
            string path = endpoint.Route.Replace("{instanceId}", Uri.EscapeDataString(id), StringComparison.Ordinal).Replace("{eventName}", "Ping", StringComparison.Ordinal);
            using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), new Uri($"api/{path}", UriKind.Relative)) { Content = Body("{}") };
            using HttpResponseMessage response = await host.Http.SendAsync(request, Ct);
            await response.ExpectProblemAsync(HttpStatusCode.NotFound, Ct, "instanceId", id);
        }
    }

    [TestMethod]
    public async Task StartWorkflow_IdOfRunningInstance_Returns409AndLeavesItRunning()
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("approval");
        await StartApprovalAsync(host, id, "first");

        using HttpResponseMessage response = await host.Http.PostAsync(
            new Uri($"api/workflows/approval?instanceId={id}", UriKind.Relative), Body("""{ "subject": "second" }"""), Ct);

        await response.ExpectProblemAsync(HttpStatusCode.Conflict, Ct, id, "Running");
        using HttpResponseMessage status = await host.Http.GetAsync(new Uri($"{InstancePath(id)}?showInput=true", UriKind.Relative), Ct);
        Assert.AreEqual("first", (await status.ExpectJsonAsync(HttpStatusCode.Accepted, Ct)).GetProperty("input").GetProperty("subject").GetString());
    }

    [TestMethod]
    public async Task StartWorkflow_IdOfRunningInstanceOfAnotherWorkflow_Returns409()
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("approval");
        await StartApprovalAsync(host, id);

        using HttpResponseMessage response = await host.Http.PostAsync(new Uri($"api/workflows/hello-sequence?instanceId={id}", UriKind.Relative), null, Ct);

        await response.ExpectProblemAsync(HttpStatusCode.Conflict, Ct, id);
    }

    [TestMethod]
    public async Task Terminate_CompletedInstance_Returns409()
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("hello");
        await RunAsync(host, "hello-sequence", instanceId: id);

        using HttpResponseMessage response = await host.Http.PostAsync(new Uri($"{InstancePath(id)}/terminate", UriKind.Relative), null, Ct);

        await response.ExpectProblemAsync(HttpStatusCode.Conflict, Ct, id, "Completed");
    }

    [TestMethod]
    public async Task Suspend_SuspendedInstance_Returns409()
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("approval");
        await StartApprovalAsync(host, id);
        using (HttpResponseMessage first = await host.Http.PostAsync(new Uri($"{InstancePath(id)}/suspend", UriKind.Relative), null, Ct))
        {
            await first.ExpectJsonAsync(HttpStatusCode.Accepted, Ct);
        }

        await WaitForStatusAsync(host, id, "Suspended");

        using HttpResponseMessage response = await host.Http.PostAsync(new Uri($"{InstancePath(id)}/suspend", UriKind.Relative), null, Ct);

        await response.ExpectProblemAsync(HttpStatusCode.Conflict, Ct, id, "Suspended");
    }

    [TestMethod]
    public async Task Suspend_CompletedInstance_Returns409()
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("hello");
        await RunAsync(host, "hello-sequence", instanceId: id);

        using HttpResponseMessage response = await host.Http.PostAsync(new Uri($"{InstancePath(id)}/suspend", UriKind.Relative), null, Ct);

        await response.ExpectProblemAsync(HttpStatusCode.Conflict, Ct, id, "Completed");
    }

    [TestMethod]
    public async Task Resume_RunningInstance_Returns409()
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("approval");
        await StartApprovalAsync(host, id);

        using HttpResponseMessage response = await host.Http.PostAsync(new Uri($"{InstancePath(id)}/resume", UriKind.Relative), null, Ct);

        await response.ExpectProblemAsync(HttpStatusCode.Conflict, Ct, id, "Running");
    }

    [TestMethod]
    public async Task Restart_RunningInstance_Returns409()
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("approval");
        await StartApprovalAsync(host, id);

        using HttpResponseMessage response = await host.Http.PostAsync(new Uri($"{InstancePath(id)}/restart", UriKind.Relative), null, Ct);

        await response.ExpectProblemAsync(HttpStatusCode.Conflict, Ct, id, "Running");
    }

    [TestMethod]
    public async Task Purge_RunningInstance_Returns409AndKeepsIt()
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("approval");
        await StartApprovalAsync(host, id);

        using HttpResponseMessage response = await host.Http.DeleteAsync(new Uri(InstancePath(id), UriKind.Relative), Ct);

        await response.ExpectProblemAsync(HttpStatusCode.Conflict, Ct, id, "terminate");
        using HttpResponseMessage status = await host.Http.GetAsync(new Uri(InstancePath(id), UriKind.Relative), Ct);
        await status.ExpectJsonAsync(HttpStatusCode.Accepted, Ct);
    }

    [TestMethod]
    public async Task RaiseEvent_CompletedInstance_Returns409()
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("hello");
        await RunAsync(host, "hello-sequence", instanceId: id);

        using HttpResponseMessage response = await host.Http.PostAsync(
            new Uri($"{InstancePath(id)}/raiseEvent/ApprovalDecision", UriKind.Relative), Body("""{ "approved": true }"""), Ct);

        await response.ExpectProblemAsync(HttpStatusCode.Conflict, Ct, id, "Completed");
    }

    [TestMethod]
    public async Task UnknownApiPath_WithKey_Returns404()
    {
        await using TestHost host = await StartHostAsync();

        using HttpResponseMessage response = await host.Http.GetAsync(new Uri("api/no-such-route", UriKind.Relative), Ct);

        await response.ExpectProblemAsync(HttpStatusCode.NotFound, Ct, "/api/no-such-route", "GET /api/workflows");
    }

    [TestMethod]
    [DataRow("PUT", "api/workflows")]
    [DataRow("DELETE", "api/workflows/hello-sequence")]
    [DataRow("GET", "api/instances/x/terminate")]
    [DataRow("PATCH", "api/instances/x")]
    public async Task KnownRoute_WrongMethod_Returns405NotA500(string method, string path)
    {
        await using TestHost host = await StartHostAsync();

        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        using HttpResponseMessage response = await host.Http.SendAsync(request, Ct);

        await response.ExpectProblemAsync(HttpStatusCode.MethodNotAllowed, Ct, method, $"/{path}");
        Assert.IsNotEmpty(response.Content.Headers.Allow, "the Allow header names the methods that work");
    }

    [TestMethod]
    public async Task RaiseEvent_ToRunningInstance_IsNotAConflict()
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("approval");
        await StartApprovalAsync(host, id);

        using HttpResponseMessage response = await host.Http.PostAsync(new Uri($"{InstancePath(id)}/raiseEvent/SomethingElse", UriKind.Relative), null, Ct);

        JsonElement payload = await response.ExpectJsonAsync(HttpStatusCode.Accepted, Ct);
        Assert.AreEqual(id, payload.GetProperty("id").GetString());
    }
}

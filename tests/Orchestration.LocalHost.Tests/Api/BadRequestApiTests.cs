using System.Net;
using System.Text.Json;
using Orchestration.LocalHost.Tests.Infrastructure;

namespace Orchestration.LocalHost.Tests.Api;

/// <summary>400: every malformed request gets a problem+json whose detail names the field to fix.</summary>
[TestClass]
public sealed class BadRequestApiTests : ApiTestBase
{
    [TestMethod]
    [DataRow("{ \"names\": [ \"a\", }", "line 1", DisplayName = "trailing comma")]
    [DataRow("{ \"names\": [\"a\"]\n  \"x\": 1 }", "line 2", DisplayName = "missing comma on line 2")]
    [DataRow("{} trailing", "position", DisplayName = "trailing garbage")]
    [DataRow("{ \"names\": [\"a\"", "body", DisplayName = "truncated")]
    [DataRow("not json", "position", DisplayName = "not JSON at all")]
    public async Task StartWorkflow_MalformedJson_Returns400SayingWhere(string body, string mention)
    {
        await using TestHost host = await StartHostAsync();

        using HttpResponseMessage response = await host.Http.PostAsync(new Uri("api/workflows/hello-sequence", UriKind.Relative), Body(body), Ct);

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, Ct, "body", "JSON", mention);
        await AssertNothingStartedAsync(host);
    }

    [TestMethod]
    [DataRow("hello-sequence", "{ \"names\": [\"a\"], \"nmes\": 1 }", "nmes", DisplayName = "unknown field")]
    [DataRow("approval", "{ \"subject\": \"s\", \"timeout\": 5 }", "timeout", DisplayName = "unknown field, approval")]
    [DataRow("fan-out", "{ \"count\": \"ten\" }", "count", DisplayName = "string for a number")]
    [DataRow("hello-sequence", "{ \"names\": \"Ann\" }", "names", DisplayName = "string for an array")]
    [DataRow("fan-out", "[1, 2]", "body", DisplayName = "array for an object")]
    [DataRow("fan-out", "{ \"count\": 1e40 }", "count", DisplayName = "number out of range")]
    public async Task StartWorkflow_BodyNotOfTheInputType_Returns400NamingTheField(string workflow, string body, string field)
    {
        await using TestHost host = await StartHostAsync();

        using HttpResponseMessage response = await host.Http.PostAsync(new Uri($"api/workflows/{workflow}", UriKind.Relative), Body(body), Ct);

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, Ct, field);
        await AssertNothingStartedAsync(host);
    }

    [TestMethod]
    [DataRow("a%2Fb", DisplayName = "slash")]
    [DataRow("a%5Cb", DisplayName = "backslash")]
    [DataRow("a%23b", DisplayName = "hash")]
    [DataRow("a%3Fb", DisplayName = "question mark")]
    [DataRow("a%01b", DisplayName = "control character")]
    [DataRow("a%0Ab", DisplayName = "newline")]
    [DataRow("%20%20%20", DisplayName = "whitespace only")]
    [DataRow("", DisplayName = "empty")]
    [DataRow(null, DisplayName = "257 characters")]
    public async Task StartWorkflow_BadInstanceId_Returns400NamingInstanceId(string? escapedId)
    {
        await using TestHost host = await StartHostAsync();
        escapedId ??= new string('x', 257);

        using HttpResponseMessage response = await host.Http.PostAsync(new Uri($"api/workflows/hello-sequence?instanceId={escapedId}", UriKind.Relative), null, Ct);

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, Ct, "instanceId", "256");
        await AssertNothingStartedAsync(host);
    }

    [TestMethod]
    [DataRow("GET", "")]
    [DataRow("DELETE", "")]
    [DataRow("POST", "/terminate")]
    [DataRow("POST", "/suspend")]
    [DataRow("POST", "/resume")]
    [DataRow("POST", "/restart")]
    [DataRow("POST", "/raiseEvent/Ping")]
    public async Task InstanceRoutes_BadInstanceId_Return400NamingInstanceId(string method, string suffix)
    {
        await using TestHost host = await StartHostAsync();

        foreach (string escapedId in new[] { new string('y', 257), "a%01b", "%20" })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), new Uri($"api/instances/{escapedId}{suffix}", UriKind.Relative));
            using HttpResponseMessage response = await host.Http.SendAsync(request, Ct);
            await response.ExpectProblemAsync(HttpStatusCode.BadRequest, Ct, "instanceId");
        }
    }

    [TestMethod]
    [DataRow("abc")]
    [DataRow("-1")]
    [DataRow("61")]
    [DataRow("1.5")]
    [DataRow("99999999999999999999")]
    [DataRow("")]
    public async Task StartWorkflow_BadWait_Returns400NamingWait(string wait)
    {
        await using TestHost host = await StartHostAsync();

        using HttpResponseMessage response = await host.Http.PostAsync(new Uri($"api/workflows/hello-sequence?wait={wait}", UriKind.Relative), null, Ct);

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, Ct, "wait", "0 to 60");
        await AssertNothingStartedAsync(host);
    }

    [TestMethod]
    [DataRow("status=Bogus", "status", DisplayName = "unknown status")]
    [DataRow("status=1", "status", DisplayName = "numeric status")]
    [DataRow("status=Running,Nope", "Nope", DisplayName = "one bad status of two")]
    [DataRow("createdFrom=yesterday", "createdFrom", DisplayName = "createdFrom not a date")]
    [DataRow("createdTo=2026-13-45T00:00:00Z", "createdTo", DisplayName = "createdTo impossible date")]
    [DataRow("workflow=nope", "workflow", DisplayName = "unknown workflow")]
    [DataRow("top=0", "top", DisplayName = "top zero")]
    [DataRow("top=1001", "top", DisplayName = "top too large")]
    [DataRow("top=ten", "top", DisplayName = "top not a number")]
    [DataRow("showInput=maybe", "showInput", DisplayName = "showInput not a boolean")]
    public async Task ListInstances_BadFilter_Returns400NamingTheParameter(string query, string mention)
    {
        await using TestHost host = await StartHostAsync();

        using HttpResponseMessage response = await host.Http.GetAsync(new Uri($"api/instances?{query}", UriKind.Relative), Ct);

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, Ct, mention);
    }

    [TestMethod]
    [DataRow("", "createdFrom/createdTo", DisplayName = "no bound at all")]
    [DataRow("status=Completed", "createdFrom/createdTo", DisplayName = "status but no bound")]
    [DataRow("createdFrom=2020-01-01T00:00:00Z&status=Running", "status", DisplayName = "alive status")]
    [DataRow("createdFrom=2020-01-01T00:00:00Z&status=Completed,Suspended", "Suspended", DisplayName = "one alive status of two")]
    [DataRow("createdFrom=2020-01-01T00:00:00Z&workflow=approval", "workflow", DisplayName = "by workflow")]
    [DataRow("createdFrom=soon", "createdFrom", DisplayName = "bad date")]
    public async Task PurgeMany_BadFilter_Returns400AndPurgesNothing(string query, string mention)
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("keep");
        await RunAsync(host, "hello-sequence", instanceId: id);

        using HttpResponseMessage response = await host.Http.DeleteAsync(new Uri($"api/instances?{query}", UriKind.Relative), Ct);

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, Ct, mention);
        using HttpResponseMessage kept = await host.Http.GetAsync(new Uri(InstancePath(id), UriKind.Relative), Ct);
        await kept.ExpectJsonAsync(HttpStatusCode.OK, Ct);
    }

    [TestMethod]
    [DataRow("showInput=maybe", "showInput")]
    [DataRow("showHistory=yes", "showHistory")]
    public async Task GetInstance_BadFlag_Returns400NamingTheFlag(string query, string flag)
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("hello");
        await RunAsync(host, "hello-sequence", instanceId: id);

        using HttpResponseMessage response = await host.Http.GetAsync(new Uri($"{InstancePath(id)}?{query}", UriKind.Relative), Ct);

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, Ct, flag);
    }

    [TestMethod]
    [DataRow("terminate")]
    [DataRow("suspend")]
    [DataRow("resume")]
    public async Task ChangeState_ReasonOver1000Characters_Returns400NamingReason(string operation)
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("approval");
        await StartApprovalAsync(host, id);

        using HttpResponseMessage response = await host.Http.PostAsync(new Uri($"{InstancePath(id)}/{operation}?reason={new string('r', 1001)}", UriKind.Relative), null, Ct);

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, Ct, "reason", "1000");
        JsonElement status = await WaitForStatusAsync(host, id, "Running");
        Assert.AreEqual("waiting-for-decision", status.GetProperty("customStatus").GetProperty("stage").GetString());
    }

    [TestMethod]
    [DataRow("bad%20name", DisplayName = "space")]
    [DataRow("a%2Bb", DisplayName = "plus")]
    [DataRow("%C3%A9v%C3%A9nement", DisplayName = "non-ASCII letters")]
    [DataRow(null, DisplayName = "129 characters")]
    public async Task RaiseEvent_BadEventName_Returns400NamingEventName(string? escapedName)
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("approval");
        await StartApprovalAsync(host, id);
        escapedName ??= new string('e', 129);

        using HttpResponseMessage response = await host.Http.PostAsync(new Uri($"{InstancePath(id)}/raiseEvent/{escapedName}", UriKind.Relative), Body("{}"), Ct);

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, Ct, "eventName");
    }

    [TestMethod]
    public async Task RaiseEvent_MalformedJson_Returns400AndTheInstanceKeepsWaiting()
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("approval");
        await StartApprovalAsync(host, id);

        using HttpResponseMessage response = await host.Http.PostAsync(
            new Uri($"{InstancePath(id)}/raiseEvent/ApprovalDecision", UriKind.Relative), Body("{ \"approved\": tru }"), Ct);

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, Ct, "body", "line 1");
        using HttpResponseMessage status = await host.Http.GetAsync(new Uri(InstancePath(id), UriKind.Relative), Ct);
        Assert.AreEqual("Running", (await status.ExpectJsonAsync(HttpStatusCode.Accepted, Ct)).GetProperty("runtimeStatus").GetString());
    }

    [TestMethod]
    public async Task Restart_BadNewInstanceIdFlag_Returns400NamingIt()
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("hello");
        await RunAsync(host, "hello-sequence", instanceId: id);

        using HttpResponseMessage response = await host.Http.PostAsync(new Uri($"{InstancePath(id)}/restart?newInstanceId=maybe", UriKind.Relative), null, Ct);

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, Ct, "newInstanceId");
    }

    async Task AssertNothingStartedAsync(TestHost host)
    {
        using HttpResponseMessage list = await host.Http.GetAsync(new Uri("api/instances", UriKind.Relative), Ct);
        JsonElement page = await list.ExpectJsonAsync(HttpStatusCode.OK, Ct);
        Assert.AreEqual(0, page.GetProperty("instances").GetArrayLength(), $"a refused request started something: {page}");
    }
}

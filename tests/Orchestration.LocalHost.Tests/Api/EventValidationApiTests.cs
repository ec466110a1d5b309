using System.Net;
using System.Text.Json;
using Orchestration.LocalHost.Tests.Infrastructure;

namespace Orchestration.LocalHost.Tests.Api;

/// <summary>
/// The approval sample declares its <c>ApprovalDecision</c> event: a payload that is not <c>{"approved": true|false}</c>
/// is refused at the API, and one that reaches the orchestrator anyway is ignored with a reason, never the end of it.
/// </summary>
[TestClass]
public sealed class EventValidationApiTests : ApiTestBase
{
    [TestMethod]
    public async Task RaiseEvent_BadDecisions_400EachAndTheInstanceKeepsWaiting()
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("approval");
        await StartApprovalAsync(host, id);

        foreach (string? body in new[] { """{ "approved": "maybe" }""", "1", "\"yes\"", "null", "{}", """{ "approved": null }""", """{ "by": "eve" }""", null })
        {
            using HttpResponseMessage response = await host.Http.PostAsync(
                new Uri($"{InstancePath(id)}/raiseEvent/ApprovalDecision", UriKind.Relative), Body(body), Ct);
            await response.ExpectProblemAsync(HttpStatusCode.BadRequest, Ct, "approved");
        }

        // Untouched: still running, still waiting; a good decision then decides it.
        JsonElement status = await WaitForAsync(host, id, s => s.GetProperty("runtimeStatus").GetString() == "Running", "still running");
        Assert.AreEqual("waiting-for-decision", status.GetProperty("customStatus").GetProperty("stage").GetString(), status.ToString());
        using (HttpResponseMessage good = await host.Http.PostAsync(
            new Uri($"{InstancePath(id)}/raiseEvent/ApprovalDecision", UriKind.Relative), Body("""{ "approved": true, "by": "bob" }"""), Ct))
        {
            await good.ExpectJsonAsync(HttpStatusCode.Accepted, Ct);
        }

        JsonElement done = await WaitForStatusAsync(host, id, "Completed");
        Assert.AreEqual("Approved", done.GetProperty("output").GetProperty("outcome").GetString(), done.ToString());
    }

    [TestMethod]
    public async Task RaiseEvent_BadDecisionPastTheApi_IsIgnoredWithAReasonAndTheInstanceKeepsWaiting()
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("approval");
        await StartApprovalAsync(host, id);

        // Straight to the engine, as another client of the task hub could.
        foreach (object? bad in new object?[] { "maybe", 1, null, new { approved = "maybe" }, new { } })
        {
            await host.Client.RaiseEventAsync(id, "ApprovalDecision", bad, Ct);
        }

        JsonElement ignored = await WaitForAsync(
            host, id, s => s.TryGetProperty("customStatus", out JsonElement c) && c.TryGetProperty("ignoredEvents", out JsonElement n) && n.GetInt32() == 5, "five ignored decisions");
        Assert.AreEqual("Running", ignored.GetProperty("runtimeStatus").GetString(), ignored.ToString());
        Assert.Contains("approved", ignored.GetProperty("customStatus").GetProperty("lastIgnored").GetString()!, ignored.ToString());

        await host.Client.RaiseEventAsync(id, "ApprovalDecision", new { approved = false, by = "carol" }, Ct);
        JsonElement done = await WaitForStatusAsync(host, id, "Completed");
        Assert.AreEqual("Rejected", done.GetProperty("output").GetProperty("outcome").GetString(), done.ToString());
        Assert.AreEqual("carol", done.GetProperty("output").GetProperty("by").GetString(), done.ToString());
    }
}

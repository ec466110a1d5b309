using System.Globalization;
using System.Net;
using System.Text.Json;
using Orchestration.LocalHost.Tests.Infrastructure;

namespace Orchestration.LocalHost.Tests.Api;

/// <summary>Terminate, suspend, resume, raise event, restart and purge: the success paths.</summary>
[TestClass]
public sealed class InstanceManagementApiTests : ApiTestBase
{
    /// <summary>
    /// The orchestrator wakes up on the decision (custom status "decided") but never completes: after the event wins it
    /// does <c>await timeout.CancelAsync()</c> (Samples/Approval.cs), which runs the timer's cancellation on the thread
    /// pool, so the orchestrator awaits a non-durable task and its episode ends with the instance stuck in Running.
    /// </summary>
    [TestMethod]
    public async Task RaiseEvent_ApprovalDecision_CompletesApproved()
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("approval");
        await StartApprovalAsync(host, id, "new laptop");

        using HttpResponseMessage response = await host.Http.PostAsync(
            new Uri($"{InstancePath(id)}/raiseEvent/ApprovalDecision", UriKind.Relative), Body("""{ "approved": true, "by": "bob" }"""), Ct);

        JsonElement payload = await response.ExpectJsonAsync(HttpStatusCode.Accepted, Ct);
        Assert.AreEqual(id, payload.GetProperty("id").GetString());
        JsonElement done = await WaitForStatusAsync(host, id, "Completed");
        JsonElement output = done.GetProperty("output");
        Assert.AreEqual("new laptop", output.GetProperty("subject").GetString());
        Assert.AreEqual("Approved", output.GetProperty("outcome").GetString());
        Assert.AreEqual("bob", output.GetProperty("by").GetString());
        Assert.AreEqual("decided", done.GetProperty("customStatus").GetProperty("stage").GetString());
    }

    [TestMethod]
    public async Task RaiseEvent_RejectingDecision_CompletesRejectedWithComment()
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("approval");
        await StartApprovalAsync(host, id);

        using HttpResponseMessage response = await host.Http.PostAsync(
            new Uri($"{InstancePath(id)}/raiseEvent/ApprovalDecision", UriKind.Relative), Body("""{ "approved": false, "by": "carol", "comment": "no" }"""), Ct);

        await response.ExpectJsonAsync(HttpStatusCode.Accepted, Ct);
        JsonElement output = (await WaitForStatusAsync(host, id, "Completed")).GetProperty("output");
        Assert.AreEqual("Rejected", output.GetProperty("outcome").GetString());
        Assert.AreEqual("carol", output.GetProperty("by").GetString());
        Assert.AreEqual("no", output.GetProperty("comment").GetString());
    }

    [TestMethod]
    public async Task RaiseEvent_ApprovalDecision_IsDeliveredToTheWaitingOrchestrator()
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("approval");
        await StartApprovalAsync(host, id);

        using HttpResponseMessage response = await host.Http.PostAsync(
            new Uri($"{InstancePath(id)}/raiseEvent/ApprovalDecision", UriKind.Relative), Body("""{ "approved": true, "by": "bob" }"""), Ct);

        JsonElement payload = await response.ExpectJsonAsync(HttpStatusCode.Accepted, Ct);
        Assert.AreEqual(id, payload.GetProperty("id").GetString());
        Assert.IsNull(response.Headers.Location, "raiseEvent has no Location");
        await WaitForAsync(host, id, s => s.GetProperty("customStatus").GetProperty("stage").GetString() == "decided", "the orchestrator to take the decision");
    }

    [TestMethod]
    public async Task Approval_NoDecisionBeforeItsTimeout_CompletesTimedOut()
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("approval");

        await StartAsync(host, "approval", """{ "subject": "quick", "timeoutSeconds": 1 }""", id);

        JsonElement done = await WaitForStatusAsync(host, id, "Completed");
        Assert.AreEqual("TimedOut", done.GetProperty("output").GetProperty("outcome").GetString());
        Assert.AreEqual("quick", done.GetProperty("output").GetProperty("subject").GetString());
    }

    [TestMethod]
    public async Task SuspendThenResume_WaitingApproval_HoldsEventsUntilResumed()
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("approval");
        await StartApprovalAsync(host, id);

        using (HttpResponseMessage suspend = await host.Http.PostAsync(new Uri($"{InstancePath(id)}/suspend?reason=lunch", UriKind.Relative), null, Ct))
        {
            JsonElement payload = await suspend.ExpectJsonAsync(HttpStatusCode.Accepted, Ct);
            Assert.AreEqual(id, payload.GetProperty("id").GetString());
        }

        await WaitForStatusAsync(host, id, "Suspended");
        using (HttpResponseMessage suspended = await host.Http.GetAsync(new Uri(InstancePath(id), UriKind.Relative), Ct))
        {
            await suspended.ExpectJsonAsync(HttpStatusCode.Accepted, Ct);
        }

        // A suspended instance still accepts events; it handles them once resumed.
        using (HttpResponseMessage raise = await host.Http.PostAsync(
            new Uri($"{InstancePath(id)}/raiseEvent/ApprovalDecision", UriKind.Relative), Body("""{ "approved": false, "by": "carol" }"""), Ct))
        {
            await raise.ExpectJsonAsync(HttpStatusCode.Accepted, Ct);
        }

        using (HttpResponseMessage resume = await host.Http.PostAsync(new Uri($"{InstancePath(id)}/resume?reason=back", UriKind.Relative), null, Ct))
        {
            await resume.ExpectJsonAsync(HttpStatusCode.Accepted, Ct);
        }

        JsonElement woken = await WaitForAsync(host, id, s => s.GetProperty("customStatus").GetProperty("stage").GetString() == "decided", "the held decision to be handled");
        Assert.AreNotEqual("Suspended", woken.GetProperty("runtimeStatus").GetString());
    }

    [TestMethod]
    public async Task Terminate_WaitingApproval_BecomesTerminated()
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("approval");
        await StartApprovalAsync(host, id);

        using HttpResponseMessage response = await host.Http.PostAsync(new Uri($"{InstancePath(id)}/terminate?reason=changed%20my%20mind", UriKind.Relative), null, Ct);

        JsonElement payload = await response.ExpectJsonAsync(HttpStatusCode.Accepted, Ct);
        Assert.AreEqual(id, payload.GetProperty("id").GetString());
        JsonElement done = await WaitForStatusAsync(host, id, "Terminated");
        using HttpResponseMessage final = await host.Http.GetAsync(new Uri(InstancePath(id), UriKind.Relative), Ct);
        await final.ExpectJsonAsync(HttpStatusCode.OK, Ct);
        Assert.Contains("changed my mind", done.GetProperty("output").ToString(), "a terminated instance's output is the reason");
    }

    [TestMethod]
    public async Task Restart_CompletedInstance_RunsItAgainUnderTheSameId()
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("hello");
        JsonElement first = await RunAsync(host, "hello-sequence", """{ "names": ["Hal"] }""", id);
        DateTimeOffset firstCreated = first.GetProperty("createdAt").GetDateTimeOffset();

        using HttpResponseMessage response = await host.Http.PostAsync(new Uri($"{InstancePath(id)}/restart", UriKind.Relative), null, Ct);

        JsonElement payload = await response.ExpectJsonAsync(HttpStatusCode.Accepted, Ct);
        Assert.AreEqual(id, payload.GetProperty("id").GetString());
        Assert.AreEqual(payload.GetProperty("statusQueryGetUri").GetString(), response.Headers.Location?.AbsoluteUri);
        JsonElement again = await WaitForAsync(
            host,
            id,
            s => s.GetProperty("runtimeStatus").GetString() == "Completed" && s.GetProperty("createdAt").GetDateTimeOffset() > firstCreated,
            "a second, completed run");
        CollectionAssert.AreEqual(new[] { "Hello, Hal!" }, again.GetProperty("output").Strings(), "the original input is used");
    }

    [TestMethod]
    [DataRow("newInstanceId=true")]
    [DataRow("newInstanceId")]
    public async Task Restart_WithNewInstanceId_RunsACopyUnderANewId(string query)
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("hello");
        await RunAsync(host, "hello-sequence", """{ "names": ["Ivy", "Jo"] }""", id);

        using HttpResponseMessage response = await host.Http.PostAsync(new Uri($"{InstancePath(id)}/restart?{query}", UriKind.Relative), null, Ct);

        JsonElement payload = await response.ExpectJsonAsync(HttpStatusCode.Accepted, Ct);
        string copy = payload.GetProperty("id").GetString()!;
        Assert.AreNotEqual(id, copy);
        Assert.AreEqual(new Uri(host.Http.BaseAddress!, InstancePath(copy)).AbsoluteUri, response.Headers.Location?.AbsoluteUri);
        JsonElement done = await WaitForStatusAsync(host, copy, "Completed");
        CollectionAssert.AreEqual(new[] { "Hello, Ivy!", "Hello, Jo!" }, done.GetProperty("output").Strings());
        Assert.AreEqual("hello-sequence", done.GetProperty("workflow").GetString());
        using HttpResponseMessage original = await host.Http.GetAsync(new Uri(InstancePath(id), UriKind.Relative), Ct);
        await original.ExpectJsonAsync(HttpStatusCode.OK, Ct);
    }

    /// <summary>
    /// The restart contract says "from the start with its original input". A countdown continues as new each tick, so its
    /// instance's current input is the last generation's ({ remaining: 0, ticked: N }); restarting from that would finish
    /// at once instead of counting down again.
    /// </summary>
    [TestMethod]
    public async Task Restart_ContinuedAsNewInstance_RestartsFromItsLastGenerationsInput()
    {
        // Documented behaviour (as Durable Functions' restart): the instance only keeps its latest generation's input.
        await using TestHost host = await StartHostAsync();
        string id = NewId("countdown");
        JsonElement first = await RunAsync(host, "countdown", """{ "remaining": 2, "intervalSeconds": 0 }""", id);
        Assert.AreEqual(2, first.GetProperty("output").GetProperty("ticks").GetInt32());

        using HttpResponseMessage response = await host.Http.PostAsync(new Uri($"{InstancePath(id)}/restart?newInstanceId=true", UriKind.Relative), null, Ct);

        string copy = (await response.ExpectJsonAsync(HttpStatusCode.Accepted, Ct)).GetProperty("id").GetString()!;
        Assert.AreNotEqual(id, copy);
        JsonElement done = await WaitForStatusAsync(host, copy, "Completed");
        using HttpResponseMessage withInput = await host.Http.GetAsync(new Uri($"{InstancePath(copy)}?showInput=true", UriKind.Relative), Ct);
        JsonElement input = (await withInput.ExpectJsonAsync(HttpStatusCode.OK, Ct)).GetProperty("input");
        Assert.AreEqual(0, input.GetProperty("remaining").GetInt32(), $"the copy should start from the last generation's input, got {input}");
        Assert.AreEqual(2, input.GetProperty("ticked").GetInt32());
        Assert.AreEqual(2, done.GetProperty("output").GetProperty("ticks").GetInt32());
    }

    [TestMethod]
    public async Task StartWorkflow_IdOfCompletedInstance_StartsItAgain()
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("hello");
        await RunAsync(host, "hello-sequence", """{ "names": ["One"] }""", id);

        JsonElement second = await RunAsync(host, "hello-sequence", """{ "names": ["Two"] }""", id);

        CollectionAssert.AreEqual(new[] { "Hello, Two!" }, second.GetProperty("output").Strings());
    }

    [TestMethod]
    public async Task Restart_TerminatedInstance_RunsItAgain()
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("approval");
        await StartApprovalAsync(host, id);
        using (HttpResponseMessage terminate = await host.Http.PostAsync(new Uri($"{InstancePath(id)}/terminate", UriKind.Relative), null, Ct))
        {
            await terminate.ExpectJsonAsync(HttpStatusCode.Accepted, Ct);
        }

        await WaitForStatusAsync(host, id, "Terminated");

        using HttpResponseMessage response = await host.Http.PostAsync(new Uri($"{InstancePath(id)}/restart", UriKind.Relative), null, Ct);

        await response.ExpectJsonAsync(HttpStatusCode.Accepted, Ct);
        await WaitForAsync(host, id, s => s.GetProperty("runtimeStatus").GetString() == "Running" && s.TryGetProperty("customStatus", out _), "running again");
    }

    [TestMethod]
    public async Task Purge_CompletedInstance_DeletesItsHistory()
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("hello");
        await RunAsync(host, "hello-sequence", instanceId: id);

        using HttpResponseMessage response = await host.Http.DeleteAsync(new Uri(InstancePath(id), UriKind.Relative), Ct);

        JsonElement summary = await response.ExpectJsonAsync(HttpStatusCode.OK, Ct);
        Assert.AreEqual(1, summary.GetProperty("instancesDeleted").GetInt32());
        using HttpResponseMessage gone = await host.Http.GetAsync(new Uri(InstancePath(id), UriKind.Relative), Ct);
        await gone.ExpectProblemAsync(HttpStatusCode.NotFound, Ct, id);
    }

    [TestMethod]
    public async Task PurgeMany_ByCreatedWindow_DeletesOnlyFinishedInstances()
    {
        await using TestHost host = await StartHostAsync();
        DateTimeOffset from = DateTimeOffset.UtcNow.AddMinutes(-1);
        string[] finished = [NewId("done"), NewId("done"), NewId("done")];
        foreach (string id in finished)
        {
            await RunAsync(host, "hello-sequence", instanceId: id);
        }

        string alive = NewId("alive");
        await StartApprovalAsync(host, alive);

        using HttpResponseMessage response = await host.Http.DeleteAsync(
            new Uri($"api/instances?createdFrom={Time(from)}&createdTo={Time(DateTimeOffset.UtcNow.AddMinutes(1))}", UriKind.Relative), Ct);

        JsonElement summary = await response.ExpectJsonAsync(HttpStatusCode.OK, Ct);
        Assert.AreEqual(finished.Length, summary.GetProperty("instancesDeleted").GetInt32());
        foreach (string id in finished)
        {
            using HttpResponseMessage gone = await host.Http.GetAsync(new Uri(InstancePath(id), UriKind.Relative), Ct);
            await gone.ExpectProblemAsync(HttpStatusCode.NotFound, Ct);
        }

        using HttpResponseMessage still = await host.Http.GetAsync(new Uri(InstancePath(alive), UriKind.Relative), Ct);
        await still.ExpectJsonAsync(HttpStatusCode.Accepted, Ct);
    }

    [TestMethod]
    public async Task PurgeMany_OnlyCreatedTo_DeletesFinishedInstancesBeforeIt()
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("done");
        await RunAsync(host, "hello-sequence", instanceId: id);

        using (HttpResponseMessage none = await host.Http.DeleteAsync(new Uri($"api/instances?createdTo={Time(DateTimeOffset.UtcNow.AddHours(-1))}", UriKind.Relative), Ct))
        {
            Assert.AreEqual(0, (await none.ExpectJsonAsync(HttpStatusCode.OK, Ct)).GetProperty("instancesDeleted").GetInt32());
        }

        using HttpResponseMessage response = await host.Http.DeleteAsync(new Uri($"api/instances?createdTo={Time(DateTimeOffset.UtcNow.AddMinutes(1))}", UriKind.Relative), Ct);

        Assert.AreEqual(1, (await response.ExpectJsonAsync(HttpStatusCode.OK, Ct)).GetProperty("instancesDeleted").GetInt32());
    }

    [TestMethod]
    public async Task PurgeMany_WithTerminalStatusFilter_DeletesOnlyInstancesInThatStatus()
    {
        await using TestHost host = await StartHostAsync();
        string completed = NewId("completed");
        string terminated = NewId("terminated");
        await RunAsync(host, "hello-sequence", instanceId: completed);
        await StartApprovalAsync(host, terminated);
        using (HttpResponseMessage terminate = await host.Http.PostAsync(new Uri($"{InstancePath(terminated)}/terminate", UriKind.Relative), null, Ct))
        {
            await terminate.ExpectJsonAsync(HttpStatusCode.Accepted, Ct);
        }

        await WaitForStatusAsync(host, terminated, "Terminated");

        using HttpResponseMessage response = await host.Http.DeleteAsync(
            new Uri($"api/instances?createdFrom={Time(DateTimeOffset.UtcNow.AddMinutes(-5))}&status=Completed", UriKind.Relative), Ct);

        JsonElement summary = await response.ExpectJsonAsync(HttpStatusCode.OK, Ct);
        Assert.AreEqual(1, summary.GetProperty("instancesDeleted").GetInt32());
        using HttpResponseMessage gone = await host.Http.GetAsync(new Uri(InstancePath(completed), UriKind.Relative), Ct);
        await gone.ExpectProblemAsync(HttpStatusCode.NotFound, Ct);
        using HttpResponseMessage kept = await host.Http.GetAsync(new Uri(InstancePath(terminated), UriKind.Relative), Ct);
        await kept.ExpectJsonAsync(HttpStatusCode.OK, Ct);
    }

    internal static string Time(DateTimeOffset time) => Uri.EscapeDataString(time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture));
}

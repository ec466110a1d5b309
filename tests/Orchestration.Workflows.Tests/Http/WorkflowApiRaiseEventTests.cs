using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Moq;
using Orchestration.Workflows.Tests.Infrastructure;

namespace Orchestration.Workflows.Tests.Http;

[TestClass]
public sealed class WorkflowApiRaiseEventTests
{
    sealed class Raising
    {
        public Raising(OrchestrationRuntimeStatus? status)
        {
            Client.WithInstance("appr-1", status is { } s ? ClientFake.Metadata("appr-1", s, "ApprovalOrchestrator") : null);
            Client.Mock.Setup(c => c.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()))
                .Returns((string id, string name, object? payload, CancellationToken _) =>
                {
                    Raised.Add((id, name, payload));
                    return Task.CompletedTask;
                });
        }

        public ClientFake Client { get; } = new();

        public List<(string Id, string Name, object? Payload)> Raised { get; } = [];

        public async Task<HttpOutcome> Raise(string eventName, string? body, string instanceId = "appr-1")
        {
            HttpRequest request = HttpFake.Request("POST", $"/api/instances/{instanceId}/raiseEvent/{eventName}", null, body);
            IResult result = await HttpFake.Api().RaiseEventAsync(request, Client.Object, instanceId, eventName, CancellationToken.None);
            return await HttpFake.ExecuteAsync(request, result);
        }
    }

    [TestMethod]
    public async Task RaiseEventAsync_Running_202AndRaisesTheJsonData()
    {
        var raising = new Raising(OrchestrationRuntimeStatus.Running);

        HttpOutcome outcome = await raising.Raise("ApprovalDecision", """{"approved":true,"by":"alice"}""");

        Assert.AreEqual(202, outcome.Status, outcome.Body);
        Assert.AreEqual("appr-1", outcome.Json.GetProperty("id").GetString());
        (string id, string name, object? payload) = raising.Raised.Single();
        Assert.AreEqual("appr-1", id);
        Assert.AreEqual("ApprovalDecision", name);
        var data = (JsonElement)payload!;
        Assert.IsTrue(data.GetProperty("approved").GetBoolean());
        Assert.AreEqual("alice", data.GetProperty("by").GetString());
    }

    [TestMethod]
    public async Task RaiseEventAsync_NoBody_RaisesWithNullData()
    {
        var raising = new Raising(OrchestrationRuntimeStatus.Running);

        HttpOutcome outcome = await raising.Raise("Ping", null);

        Assert.AreEqual(202, outcome.Status);
        Assert.IsNull(raising.Raised.Single().Payload);
    }

    [TestMethod]
    [DataRow(OrchestrationRuntimeStatus.Completed)]
    [DataRow(OrchestrationRuntimeStatus.Terminated)]
    public async Task RaiseEventAsync_Finished_409(OrchestrationRuntimeStatus status)
    {
        var raising = new Raising(status);

        HttpOutcome outcome = await raising.Raise("ApprovalDecision", """{"approved":true}""");

        Assert.Contains(status.ToString(), outcome.ProblemDetail(409));
        Assert.IsEmpty(raising.Raised);
    }

    [TestMethod]
    public async Task RaiseEventAsync_Unknown_404()
    {
        var raising = new Raising(null);

        HttpOutcome outcome = await raising.Raise("ApprovalDecision", "{}");

        outcome.ProblemDetail(404);
        Assert.IsEmpty(raising.Raised);
    }

    [TestMethod]
    [DataRow("bad name")]
    [DataRow("a/b")]
    [DataRow("semi;colon")]
    [DataRow("日本")]
    [DataRow(" ")]
    public async Task RaiseEventAsync_BadEventName_400(string eventName)
    {
        var raising = new Raising(OrchestrationRuntimeStatus.Running);

        HttpOutcome outcome = await raising.Raise(eventName, "{}");

        Assert.StartsWith("eventName:", outcome.ProblemDetail(400));
        Assert.IsEmpty(raising.Raised);
    }

    [TestMethod]
    public async Task RaiseEventAsync_129CharEventName_400()
    {
        var raising = new Raising(OrchestrationRuntimeStatus.Running);

        HttpOutcome outcome = await raising.Raise(new string('e', 129), "{}");

        outcome.ProblemDetail(400);
    }

    [TestMethod]
    [DataRow("Approval.Decision_v2-final")]
    public async Task RaiseEventAsync_NameWithDotDashUnderscore_Accepted(string eventName)
    {
        var raising = new Raising(OrchestrationRuntimeStatus.Running);

        HttpOutcome outcome = await raising.Raise(eventName, "true");

        Assert.AreEqual(202, outcome.Status);
        Assert.AreEqual(eventName, raising.Raised.Single().Name);
    }

    [TestMethod]
    public async Task RaiseEventAsync_MalformedJson_400()
    {
        var raising = new Raising(OrchestrationRuntimeStatus.Running);

        HttpOutcome outcome = await raising.Raise("ApprovalDecision", "{\"approved\": tru}");

        Assert.StartsWith("body: not valid JSON", outcome.ProblemDetail(400));
        Assert.IsEmpty(raising.Raised);
    }

    [TestMethod]
    public async Task RaiseEventAsync_BadInstanceId_400()
    {
        var raising = new Raising(OrchestrationRuntimeStatus.Running);

        HttpOutcome outcome = await raising.Raise("ApprovalDecision", "{}", "a?b");

        outcome.ProblemDetail(400);
    }
}

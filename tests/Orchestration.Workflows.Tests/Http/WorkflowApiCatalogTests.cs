using Microsoft.AspNetCore.Http;
using Orchestration.Workflows.Http;
using Orchestration.Workflows.Tests.Infrastructure;

namespace Orchestration.Workflows.Tests.Http;

/// <summary>The handlers that need no client: the workflow listing and the health probe.</summary>
[TestClass]
public sealed class WorkflowApiCatalogTests
{
    [TestMethod]
    public async Task ListWorkflows_ForwardedHost_EveryWorkflowWithItsStartUri()
    {
        HttpRequest request = HttpFake.Request("GET", "/api/workflows");
        request.Headers["X-Forwarded-Host"] = "api.example.com";

        HttpOutcome outcome = await HttpFake.ExecuteAsync(request, HttpFake.Api().ListWorkflows(request));

        Assert.AreEqual(200, outcome.Status);
        var items = outcome.Json.EnumerateArray().ToDictionary(w => w.GetProperty("name").GetString()!, w => w);
        CollectionAssert.AreEquivalent(new[] { "hello-sequence", "fan-out", "approval", "countdown", "blob-digest", "image-pipeline", "fraud-scan" }, items.Keys.ToArray());
        Assert.AreEqual("https://api.example.com/api/workflows/approval", items["approval"].GetProperty("startUri").GetString());
        Assert.IsTrue(items["approval"].GetProperty("inputRequired").GetBoolean());
        Assert.IsFalse(items["fan-out"].GetProperty("inputRequired").GetBoolean());
    }

    [TestMethod]
    public async Task Health_Always_200Healthy()
    {
        HttpRequest request = HttpFake.Request("GET", "/api/health");

        HttpOutcome outcome = await HttpFake.ExecuteAsync(request, WorkflowApi.Health());

        Assert.AreEqual(200, outcome.Status);
        Assert.AreEqual("Healthy", outcome.Json.GetProperty("status").GetString());
    }
}

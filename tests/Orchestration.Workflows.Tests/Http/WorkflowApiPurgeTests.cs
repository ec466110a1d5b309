using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Moq;
using Orchestration.Workflows.Tests.Infrastructure;

namespace Orchestration.Workflows.Tests.Http;

[TestClass]
public sealed class WorkflowApiPurgeTests
{
    static async Task<HttpOutcome> PurgeOne(ClientFake client, string instanceId)
    {
        HttpRequest request = HttpFake.Request("DELETE", $"/api/instances/{instanceId}");
        IResult result = await HttpFake.Api().PurgeAsync(request, client.Object, instanceId, CancellationToken.None);
        return await HttpFake.ExecuteAsync(request, result);
    }

    sealed class PurgeMany
    {
        public PurgeMany()
        {
            Client.Mock.Setup(c => c.PurgeAllInstancesAsync(It.IsAny<PurgeInstancesFilter>(), It.IsAny<CancellationToken>()))
                .Returns((PurgeInstancesFilter filter, CancellationToken _) =>
                {
                    Filters.Add(filter);
                    return Task.FromResult(new PurgeResult(4));
                });
        }

        public ClientFake Client { get; } = new();

        public List<PurgeInstancesFilter> Filters { get; } = [];

        public async Task<HttpOutcome> Purge(string? query)
        {
            HttpRequest request = HttpFake.Request("DELETE", "/api/instances", query);
            IResult result = await HttpFake.Api().PurgeManyAsync(request, Client.Object, CancellationToken.None);
            return await HttpFake.ExecuteAsync(request, result);
        }
    }

    [TestMethod]
    [DataRow(OrchestrationRuntimeStatus.Running)]
    [DataRow(OrchestrationRuntimeStatus.Pending)]
    [DataRow(OrchestrationRuntimeStatus.Suspended)]
    public async Task PurgeAsync_Alive_409AndNothingPurged(OrchestrationRuntimeStatus status)
    {
        var client = new ClientFake().WithInstance("p-1", status);

        HttpOutcome outcome = await PurgeOne(client, "p-1");

        outcome.ProblemDetail(409);
        client.Mock.Verify(c => c.PurgeInstanceAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [TestMethod]
    public async Task PurgeAsync_Completed_200WithInstancesDeleted()
    {
        var client = new ClientFake().WithInstance("p-1", OrchestrationRuntimeStatus.Completed);
        client.Mock.Setup(c => c.PurgeInstanceAsync("p-1", It.IsAny<CancellationToken>())).ReturnsAsync(new PurgeResult(1));

        HttpOutcome outcome = await PurgeOne(client, "p-1");

        Assert.AreEqual(200, outcome.Status, outcome.Body);
        Assert.AreEqual(1, outcome.Json.GetProperty("instancesDeleted").GetInt32());
    }

    [TestMethod]
    public async Task PurgeAsync_Unknown_404()
    {
        HttpOutcome outcome = await PurgeOne(new ClientFake().WithInstance("p-9", null), "p-9");

        outcome.ProblemDetail(404);
    }

    [TestMethod]
    public async Task PurgeManyAsync_NoTimeBound_400()
    {
        var purge = new PurgeMany();

        HttpOutcome outcome = await purge.Purge("?status=Completed");

        Assert.StartsWith("createdFrom/createdTo:", outcome.ProblemDetail(400));
        Assert.IsEmpty(purge.Filters);
    }

    [TestMethod]
    [DataRow("Running")]
    [DataRow("Completed,Pending")]
    [DataRow("Suspended")]
    public async Task PurgeManyAsync_AliveStatus_400(string status)
    {
        var purge = new PurgeMany();

        HttpOutcome outcome = await purge.Purge("?createdTo=2026-01-01T00:00:00Z&status=" + status);

        Assert.StartsWith("status:", outcome.ProblemDetail(400));
        Assert.IsEmpty(purge.Filters);
    }

    [TestMethod]
    public async Task PurgeManyAsync_Workflow_400()
    {
        var purge = new PurgeMany();

        HttpOutcome outcome = await purge.Purge("?createdTo=2026-01-01T00:00:00Z&workflow=fan-out");

        Assert.StartsWith("workflow:", outcome.ProblemDetail(400));
    }

    [TestMethod]
    public async Task PurgeManyAsync_OnlyTimeBound_PurgesFinishedStatusesInTheWindow()
    {
        var purge = new PurgeMany();

        HttpOutcome outcome = await purge.Purge("?createdTo=2026-01-01T00:00:00Z");

        Assert.AreEqual(200, outcome.Status, outcome.Body);
        Assert.AreEqual(4, outcome.Json.GetProperty("instancesDeleted").GetInt32());
        PurgeInstancesFilter filter = purge.Filters.Single();
        Assert.AreEqual(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), filter.CreatedTo);
        Assert.AreEqual(DateTimeOffset.UnixEpoch, filter.CreatedFrom);
        CollectionAssert.AreEquivalent(
            new[] { OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated },
            filter.Statuses!.ToArray());
    }

    [TestMethod]
    public async Task PurgeManyAsync_FinishedStatuses_PurgesOnlyThose()
    {
        var purge = new PurgeMany();

        HttpOutcome outcome = await purge.Purge("?createdFrom=2025-12-01T00:00:00Z&createdTo=2026-01-01T00:00:00Z&status=Completed,Failed");

        Assert.AreEqual(200, outcome.Status, outcome.Body);
        PurgeInstancesFilter filter = purge.Filters.Single();
        Assert.AreEqual(new DateTimeOffset(2025, 12, 1, 0, 0, 0, TimeSpan.Zero), filter.CreatedFrom);
        CollectionAssert.AreEquivalent(new[] { OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed }, filter.Statuses!.ToArray());
    }
}

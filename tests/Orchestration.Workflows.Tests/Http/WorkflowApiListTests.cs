using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Moq;
using Orchestration.Workflows.Http;
using Orchestration.Workflows.Tests.Infrastructure;

namespace Orchestration.Workflows.Tests.Http;

[TestClass]
public sealed class WorkflowApiListTests
{
    sealed class Listing
    {
        public Listing(IReadOnlyList<OrchestrationMetadata> page, string? nextToken)
        {
            Client.Mock.Setup(c => c.GetAllInstancesAsync(It.IsAny<OrchestrationQuery>()))
                .Returns((OrchestrationQuery query) =>
                {
                    Queries.Add(query);
                    return Pageable.Create((string? token, int? size, CancellationToken _) =>
                    {
                        PageRequests.Add((token, size));
                        return Task.FromResult(new Page<OrchestrationMetadata>(page, nextToken));
                    });
                });
        }

        public ClientFake Client { get; } = new();

        public List<OrchestrationQuery> Queries { get; } = [];

        public List<(string? Token, int? Size)> PageRequests { get; } = [];

        public async Task<HttpOutcome> List(string? query)
        {
            HttpRequest request = HttpFake.Request("GET", "/api/instances", query);
            IResult result = await HttpFake.Api().ListAsync(request, Client.Object, CancellationToken.None);
            return await HttpFake.ExecuteAsync(request, result);
        }
    }

    static OrchestrationMetadata Instance(string id, string name, OrchestrationRuntimeStatus status) => new(name, id)
    {
        RuntimeStatus = status,
        SerializedInput = """{"secret":1}""",
    };

    [TestMethod]
    [DataRow("?status=Bogus", "status:")]
    [DataRow("?status=Running,Nope", "status:")]
    [DataRow("?status=1", "status:")]
    [DataRow("?top=0", "top:")]
    [DataRow("?top=1001", "top:")]
    [DataRow("?top=ten", "top:")]
    [DataRow("?createdFrom=yesterday", "createdFrom:")]
    [DataRow("?createdTo=2026-13-45", "createdTo:")]
    [DataRow("?workflow=nope", "workflow:")]
    [DataRow("?showInput=yes", "showInput:")]
    public async Task ListAsync_BadFilter_400NamingTheParameter(string query, string field)
    {
        var listing = new Listing([], null);

        HttpOutcome outcome = await listing.List(query);

        Assert.StartsWith(field, outcome.ProblemDetail(400));
        Assert.IsEmpty(listing.Queries);
    }

    [TestMethod]
    public async Task ListAsync_PageWithToken_ReturnsTokenInBodyAndHeader()
    {
        var listing = new Listing(
            [Instance("a", "FanOutOrchestrator", OrchestrationRuntimeStatus.Running), Instance("b", "CountdownOrchestrator", OrchestrationRuntimeStatus.Completed)],
            "page-2-token");

        HttpOutcome outcome = await listing.List("?top=2");

        Assert.AreEqual(200, outcome.Status, outcome.Body);
        // Handed out base64url-encoded ("cGFnZS0yLXRva2Vu" is base64url of "page-2-token"), so headers keep it intact.
        Assert.AreEqual("cGFnZS0yLXRva2Vu", outcome.Json.GetProperty("continuationToken").GetString());
        Assert.AreEqual("cGFnZS0yLXRva2Vu", outcome.Headers["x-ms-continuation-token"].ToString());
        CollectionAssert.AreEqual(
            new[] { "a", "b" },
            outcome.Json.GetProperty("instances").EnumerateArray().Select(i => i.GetProperty("instanceId").GetString()).ToArray());
    }

    [TestMethod]
    public async Task ListAsync_LastPage_NoTokenAndNoHeader()
    {
        var listing = new Listing([Instance("a", "FanOutOrchestrator", OrchestrationRuntimeStatus.Running)], null);

        HttpOutcome outcome = await listing.List(null);

        Assert.IsFalse(outcome.Headers.ContainsKey("x-ms-continuation-token"));
        Assert.IsFalse(outcome.Json.TryGetProperty("continuationToken", out JsonElement token) && token.ValueKind != JsonValueKind.Null);
    }

    [TestMethod]
    public async Task ListAsync_Filters_PassedToTheQuery()
    {
        var listing = new Listing([], null);

        await listing.List("?status=running,Failed&createdFrom=2026-01-01T00:00:00Z&createdTo=2026-02-01T00:00:00%2B01:00&instanceIdPrefix=order-&top=25&continuationToken=" + Orchestration.Workflows.Http.ContinuationToken.Encode("tok-1"));

        OrchestrationQuery query = listing.Queries.Single();
        CollectionAssert.AreEquivalent(new[] { OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Failed }, query.Statuses!.ToArray());
        Assert.AreEqual(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), query.CreatedFrom);
        Assert.AreEqual(new DateTimeOffset(2026, 1, 31, 23, 0, 0, TimeSpan.Zero), query.CreatedTo);
        Assert.AreEqual("order-", query.InstanceIdPrefix);
        Assert.AreEqual(25, query.PageSize);
        Assert.AreEqual("tok-1", query.ContinuationToken);
        Assert.AreEqual(("tok-1", (int?)25), listing.PageRequests.Single());
    }

    [TestMethod]
    public async Task ListAsync_ContinuationTokenHeader_UsedWhenNoQueryParameter()
    {
        var listing = new Listing([], null);
        HttpRequest request = HttpFake.Request("GET", "/api/instances");
        request.Headers["x-ms-continuation-token"] = Orchestration.Workflows.Http.ContinuationToken.Encode("from-header ");

        await HttpFake.Api().ListAsync(request, listing.Client.Object, CancellationToken.None);

        Assert.AreEqual("from-header ", listing.Queries.Single().ContinuationToken, "a trailing space survives the round trip");
    }

    [TestMethod]
    [DataRow("not base64!")]
    [DataRow("%%%")]
    public async Task ListAsync_ForeignContinuationToken_400NamingTheParameter(string token)
    {
        var listing = new Listing([], null);

        HttpOutcome outcome = await listing.List("?continuationToken=" + Uri.EscapeDataString(token));

        Assert.Contains("continuationToken", outcome.ProblemDetail(400));
        Assert.IsEmpty(listing.Queries);
    }

    [TestMethod]
    public async Task ListAsync_NoTop_PageOf100()
    {
        var listing = new Listing([], null);

        await listing.List(null);

        Assert.AreEqual(100, listing.Queries.Single().PageSize);
    }

    [TestMethod]
    public async Task ListAsync_Workflow_KeepsOnlyItsOrchestrator()
    {
        var listing = new Listing(
            [
                Instance("a", "FanOutOrchestrator", OrchestrationRuntimeStatus.Running),
                Instance("b", "CountdownOrchestrator", OrchestrationRuntimeStatus.Running),
                Instance("c", "FanOutOrchestrator", OrchestrationRuntimeStatus.Completed),
            ],
            null);

        HttpOutcome outcome = await listing.List("?workflow=fan-out");

        CollectionAssert.AreEqual(
            new[] { "a", "c" },
            outcome.Json.GetProperty("instances").EnumerateArray().Select(i => i.GetProperty("instanceId").GetString()).ToArray());
    }

    [TestMethod]
    public async Task ListAsync_WithoutShowInput_HidesInputs()
    {
        var listing = new Listing([Instance("a", "FanOutOrchestrator", OrchestrationRuntimeStatus.Running)], null);

        HttpOutcome outcome = await listing.List(null);

        JsonElement item = outcome.Json.GetProperty("instances")[0];
        Assert.IsFalse(item.TryGetProperty("input", out JsonElement input) && input.ValueKind != JsonValueKind.Null);
    }

    /// <summary>A backend of <paramref name="count"/> instances, paged by index; the ones in <paramref name="approvals"/> are approvals.</summary>
    static (ClientFake Client, List<(string? Token, int? Size)> Requests) Backend(int count, ISet<int> approvals)
    {
        var client = new ClientFake();
        var requests = new List<(string? Token, int? Size)>();
        OrchestrationMetadata[] all = Enumerable.Range(0, count)
            .Select(i => Instance($"i{i:D5}", approvals.Contains(i) ? "ApprovalOrchestrator" : "CountdownOrchestrator", OrchestrationRuntimeStatus.Running))
            .ToArray();
        client.Mock.Setup(c => c.GetAllInstancesAsync(It.IsAny<OrchestrationQuery>()))
            .Returns((OrchestrationQuery _) => Pageable.Create((string? token, int? size, CancellationToken _) =>
            {
                requests.Add((token, size));
                int start = token is null ? 0 : int.Parse(token, System.Globalization.CultureInfo.InvariantCulture);
                int end = Math.Min(all.Length, start + (size ?? 100));
                return Task.FromResult(new Page<OrchestrationMetadata>(all[start..end], end < all.Length ? end.ToString(System.Globalization.CultureInfo.InvariantCulture) : null));
            }));
        return (client, requests);
    }

    static async Task<(string[] Ids, string? Token)> Page(ClientFake client, string query)
    {
        HttpRequest request = HttpFake.Request("GET", "/api/instances", query);
        HttpOutcome outcome = await HttpFake.ExecuteAsync(request, await HttpFake.Api().ListAsync(request, client.Object, CancellationToken.None));
        Assert.AreEqual(200, outcome.Status, outcome.Body);
        string[] ids = outcome.Json.GetProperty("instances").EnumerateArray().Select(i => i.GetProperty("instanceId").GetString()!).ToArray();
        return (ids, outcome.Json.TryGetProperty("continuationToken", out JsonElement t) ? t.GetString() : null);
    }

    [TestMethod]
    public async Task ListAsync_WorkflowSparseAcrossBackendPages_FillsTopAndResumesInsideAPage()
    {
        (ClientFake client, _) = Backend(250, new HashSet<int> { 3, 150, 249 });

        (string[] first, string? token) = await Page(client, "?workflow=approval&top=2");
        CollectionAssert.AreEqual(new[] { "i00003", "i00150" }, first);
        Assert.IsNotNull(token);

        (string[] second, string? last) = await Page(client, $"?workflow=approval&top=2&continuationToken={Uri.EscapeDataString(token)}");
        CollectionAssert.AreEqual(new[] { "i00249" }, second);
        Assert.IsNull(last);
    }

    [TestMethod]
    public async Task ListAsync_WorkflowWithNoMatchesInAHugeHub_StopsAfterABoundWithAToken()
    {
        (ClientFake client, List<(string? Token, int? Size)> requests) = Backend(10_000, new HashSet<int> { 9_999 });

        (string[] ids, string? token) = await Page(client, "?workflow=approval&top=5");

        Assert.IsEmpty(ids);
        Assert.IsNotNull(token, "the page ends early, and says where to go on");
        Assert.AreEqual(WorkflowApi.MaxScannedPerPage / WorkflowApi.FilteredBackendPageSize, requests.Count);
        var seen = new List<string>();
        for (int pages = 0; token is not null; pages++)
        {
            Assert.IsLessThan(10, pages, "paging does not end");
            (ids, token) = await Page(client, $"?workflow=approval&top=5&continuationToken={Uri.EscapeDataString(token)}");
            seen.AddRange(ids);
        }

        CollectionAssert.AreEqual(new[] { "i09999" }, seen);
    }
}

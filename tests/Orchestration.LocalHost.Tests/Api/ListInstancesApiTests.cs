using System.Globalization;
using System.Net;
using System.Text.Json;
using Orchestration.LocalHost.Engine;
using Orchestration.LocalHost.Tests.Infrastructure;

namespace Orchestration.LocalHost.Tests.Api;

/// <summary>GET /api/instances: every filter, and paging that visits every instance exactly once.</summary>
[TestClass]
public sealed class ListInstancesApiTests : ApiTestBase
{
    [TestMethod]
    public async Task ListInstances_ByStatus_ReturnsOnlyInstancesInThatStatus()
    {
        await using TestHost host = await StartHostAsync();
        string done = NewId("done");
        string waiting = NewId("waiting");
        await RunAsync(host, "hello-sequence", instanceId: done);
        await StartApprovalAsync(host, waiting);

        CollectionAssert.AreEquivalent(new[] { waiting }, await ListIdsAsync(host, "status=Running"));
        CollectionAssert.AreEquivalent(new[] { done }, await ListIdsAsync(host, "status=Completed"));
        CollectionAssert.AreEquivalent(new[] { done, waiting }, await ListIdsAsync(host, "status=running,COMPLETED"));
        CollectionAssert.AreEquivalent(new[] { done, waiting }, await ListIdsAsync(host, "status=Running&status=Completed"));
        Assert.IsEmpty(await ListIdsAsync(host, "status=Failed"));
        CollectionAssert.AreEquivalent(new[] { done, waiting }, await ListIdsAsync(host, string.Empty));
    }

    [TestMethod]
    public async Task ListInstances_ByWorkflow_ReturnsOnlyThatWorkflowsInstances()
    {
        await using TestHost host = await StartHostAsync();
        string hello = NewId("hello");
        string approval = NewId("approval");
        await RunAsync(host, "hello-sequence", instanceId: hello);
        await StartApprovalAsync(host, approval);

        CollectionAssert.AreEquivalent(new[] { approval }, await ListIdsAsync(host, "workflow=approval"));
        CollectionAssert.AreEquivalent(new[] { hello }, await ListIdsAsync(host, "workflow=hello-sequence"));
        Assert.IsEmpty(await ListIdsAsync(host, "workflow=countdown"));
    }

    [TestMethod]
    public async Task ListInstances_ByCreatedWindow_ReturnsOnlyInstancesCreatedInside()
    {
        await using TestHost host = await StartHostAsync();
        string first = NewId("first");
        string second = NewId("second");
        DateTimeOffset firstCreated = (await RunAsync(host, "hello-sequence", instanceId: first)).GetProperty("createdAt").GetDateTimeOffset();
        DateTimeOffset secondCreated = (await RunAsync(host, "hello-sequence", instanceId: second)).GetProperty("createdAt").GetDateTimeOffset();
        Assert.IsTrue(secondCreated - firstCreated > TimeSpan.FromMilliseconds(2), $"the first ran to completion before the second started: {firstCreated:O} vs {secondCreated:O}");
        DateTimeOffset between = firstCreated + ((secondCreated - firstCreated) / 2);

        CollectionAssert.AreEquivalent(new[] { first, second }, await ListIdsAsync(host, $"createdFrom={Time(firstCreated.AddMinutes(-1))}&createdTo={Time(secondCreated.AddMinutes(1))}"));
        CollectionAssert.AreEquivalent(new[] { second }, await ListIdsAsync(host, $"createdFrom={Time(between)}"));
        CollectionAssert.AreEquivalent(new[] { first }, await ListIdsAsync(host, $"createdTo={Time(between)}"));
        Assert.IsEmpty(await ListIdsAsync(host, $"createdFrom={Time(secondCreated.AddMinutes(1))}"));
        Assert.IsEmpty(await ListIdsAsync(host, $"createdTo={Time(firstCreated.AddMinutes(-1))}"));
    }

    [TestMethod]
    public async Task ListInstances_ByInstanceIdPrefix_ReturnsOnlyMatchingIds()
    {
        await using TestHost host = await StartHostAsync();
        string tag = Guid.NewGuid().ToString("N")[..8];
        string[] alpha = [$"alpha-{tag}-1", $"alpha-{tag}-2"];
        string beta = $"beta-{tag}-1";
        foreach (string id in alpha.Append(beta))
        {
            await RunAsync(host, "hello-sequence", instanceId: id);
        }

        CollectionAssert.AreEquivalent(alpha, await ListIdsAsync(host, $"instanceIdPrefix=alpha-{tag}"));
        CollectionAssert.AreEquivalent(new[] { beta }, await ListIdsAsync(host, $"instanceIdPrefix=beta-"));
        Assert.IsEmpty(await ListIdsAsync(host, "instanceIdPrefix=gamma"));
    }

    [TestMethod]
    public async Task ListInstances_ShowInput_IncludesEachInput()
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("hello");
        await RunAsync(host, "hello-sequence", """{ "names": ["Gil"] }""", id);

        using HttpResponseMessage response = await host.Http.GetAsync(new Uri("api/instances?showInput=true", UriKind.Relative), Ct);

        JsonElement page = await response.ExpectJsonAsync(HttpStatusCode.OK, Ct);
        JsonElement only = page.GetProperty("instances").EnumerateArray().Single();
        CollectionAssert.AreEqual(new[] { "Gil" }, only.GetProperty("input").GetProperty("names").Strings());
        CollectionAssert.AreEqual(new[] { "Hello, Gil!" }, only.GetProperty("output").Strings());
    }

    [TestMethod]
    [DataRow(false, DisplayName = "continuationToken query parameter")]
    [DataRow(true, DisplayName = "x-ms-continuation-token header")]
    public async Task ListInstances_PagedByTwo_VisitsEveryInstanceExactlyOnce(bool tokenInHeader)
    {
        await using TestHost host = await StartHostAsync();
        string[] ids = Enumerable.Range(0, 5).Select(i => $"page-{i}-{Guid.NewGuid():N}").ToArray();
        foreach (string id in ids)
        {
            await RunAsync(host, "hello-sequence", instanceId: id);
        }

        List<string> seen = await ListAllPagesAsync(host, "top=2", tokenInHeader, expectedPages: 3);

        CollectionAssert.AllItemsAreUnique(seen, string.Join(", ", seen));
        CollectionAssert.AreEquivalent(ids, seen);
    }

    [TestMethod]
    public async Task ListInstances_ByWorkflowPagedByTwo_VisitsEveryMatchingInstanceExactlyOnce()
    {
        await using TestHost host = await StartHostAsync();
        string[] approvals = [NewId("approval"), NewId("approval"), NewId("approval")];
        foreach (string id in approvals)
        {
            await StartApprovalAsync(host, id);
        }

        for (int i = 0; i < 4; i++)
        {
            await RunAsync(host, "hello-sequence");
        }

        List<string> seen = await ListAllPagesAsync(host, "top=2&workflow=approval", tokenInHeader: false, expectedPages: 2, Ct);

        CollectionAssert.AllItemsAreUnique(seen, string.Join(", ", seen));
        CollectionAssert.AreEquivalent(approvals, seen);
    }

    [TestMethod]
    [DataRow(EngineBackend.InMemory, DisplayName = "in memory")]
    [DataRow(EngineBackend.AzureStorage, DisplayName = "AzureStorage")]
    public async Task ListInstances_ByWorkflowWithFewMatchesAmongMany_FillsEachPageUpToTop(EngineBackend backend)
    {
        await using TestHost host = await StartHostAsync(backend);
        string tag = Guid.NewGuid().ToString("N")[..8];

        // Others first and sorted first, so a filter applied after one backend page of five sees none of the approvals.
        for (int i = 0; i < 12; i++)
        {
            await StartAsync(host, "countdown", """{ "remaining": 1, "intervalSeconds": 3600 }""", $"a-{tag}-{i:D2}");
        }

        string[] approvals = Enumerable.Range(0, 7).Select(i => $"z-{tag}-{i:D2}").ToArray();
        foreach (string id in approvals)
        {
            await StartAsync(host, "approval", """{ "subject": "paging" }""", id);
        }

        using HttpResponseMessage first = await host.Http.GetAsync(new Uri("api/instances?workflow=approval&top=5", UriKind.Relative), Ct);
        JsonElement page = await first.ExpectJsonAsync(HttpStatusCode.OK, Ct);
        string[] ids = page.GetProperty("instances").EnumerateArray().Select(i => i.GetProperty("instanceId").GetString()!).ToArray();
        Assert.HasCount(5, ids, page.ToString());
        Assert.IsTrue(ids.All(approvals.Contains), page.ToString());
        string? token = page.StringOrNull("continuationToken");
        Assert.IsNotNull(token, "two approvals are left");

        using HttpResponseMessage second = await host.Http.GetAsync(new Uri($"api/instances?workflow=approval&top=5&continuationToken={Uri.EscapeDataString(token)}", UriKind.Relative), Ct);
        JsonElement rest = await second.ExpectJsonAsync(HttpStatusCode.OK, Ct);
        string[] restIds = rest.GetProperty("instances").EnumerateArray().Select(i => i.GetProperty("instanceId").GetString()!).ToArray();
        CollectionAssert.AreEquivalent(approvals, ids.Concat(restIds).ToArray(), rest.ToString());
        if (rest.StringOrNull("continuationToken") is string more)
        {
            using HttpResponseMessage third = await host.Http.GetAsync(new Uri($"api/instances?workflow=approval&top=5&continuationToken={Uri.EscapeDataString(more)}", UriKind.Relative), Ct);
            Assert.AreEqual(0, (await third.ExpectJsonAsync(HttpStatusCode.OK, Ct)).GetProperty("instances").GetArrayLength(), "everything was on the first two pages");
        }
    }

    /// <summary>Follows continuation tokens until there are none; asserts every page has at most two instances.</summary>
    internal static async Task<List<string>> ListAllPagesAsync(TestHost host, string query, bool tokenInHeader, int expectedPages, CancellationToken cancellationToken = default)
    {
        var seen = new List<string>();
        string? token = null;
        int pages = 0;
        do
        {
            string uri = $"api/instances?{query}";
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(token is null || tokenInHeader ? uri : $"{uri}&continuationToken={Uri.EscapeDataString(token)}", UriKind.Relative));
            if (token is not null && tokenInHeader)
            {
                request.Headers.Add("x-ms-continuation-token", token);
            }

            using HttpResponseMessage response = await host.Http.SendAsync(request, cancellationToken);
            JsonElement page = await response.ExpectJsonAsync(HttpStatusCode.OK, cancellationToken);
            string[] ids = page.GetProperty("instances").EnumerateArray().Select(i => i.GetProperty("instanceId").GetString()!).ToArray();
            Assert.IsLessThanOrEqualTo(2, ids.Length, $"page {pages} has {ids.Length} instances");
            seen.AddRange(ids);
            token = page.StringOrNull("continuationToken");
            string? header = response.Headers.TryGetValues("x-ms-continuation-token", out IEnumerable<string>? values) ? values.Single() : null;
            // HTTP drops a header value's trailing blanks, and the AzureStorage backend's tokens end with one; both are accepted back.
            Assert.AreEqual(token?.Trim(), header, "the header repeats the body's continuation token");
            pages++;
            Assert.IsLessThan(20, pages, "paging does not end");
        }
        while (token is not null);

        Assert.IsGreaterThanOrEqualTo(expectedPages, pages, $"{seen.Count} instances in {pages} pages of 2");
        return seen;
    }

    async Task<string[]> ListIdsAsync(TestHost host, string query)
    {
        using HttpResponseMessage response = await host.Http.GetAsync(new Uri($"api/instances?{query}", UriKind.Relative), Ct);
        JsonElement page = await response.ExpectJsonAsync(HttpStatusCode.OK, Ct);
        Assert.IsNull(page.StringOrNull("continuationToken"), $"{query}: one page expected, got {page}");
        return page.GetProperty("instances").EnumerateArray().Select(i => i.GetProperty("instanceId").GetString()!).ToArray();
    }

    static string Time(DateTimeOffset time) => Uri.EscapeDataString(time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture));
}

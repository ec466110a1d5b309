using System.Net;
using System.Text.Json;
using Azure.Storage.Queues;
using DurableTask.Core.History;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestration.LocalHost.Azurite;
using Orchestration.LocalHost.Engine;
using Orchestration.LocalHost.Tests.Infrastructure;
using Orchestration.Workflows.Triggers;

namespace Orchestration.LocalHost.Tests.Api;

/// <summary>The same API over the AzureStorage backend (Azurite): what the in-memory backend cannot prove.</summary>
[TestClass]
public sealed class AzureStorageApiTests : ApiTestBase
{
    [TestMethod]
    public async Task AzureStorage_StartStatusHistoryAndPurge_Work()
    {
        await using TestHost host = await StartHostAsync(EngineBackend.AzureStorage);
        string id = NewId("az-hello");

        JsonElement payload = await StartAsync(host, "hello-sequence", """{ "names": ["Lu", "Mo"] }""", id);
        Assert.AreEqual(id, payload.GetProperty("id").GetString());
        JsonElement done = await WaitForStatusAsync(host, id, "Completed");
        CollectionAssert.AreEqual(new[] { "Hello, Lu!", "Hello, Mo!" }, done.GetProperty("output").Strings());
        Assert.AreEqual("done", done.GetProperty("customStatus").GetProperty("stage").GetString());

        using (HttpResponseMessage detailed = await host.Http.GetAsync(new Uri($"{InstancePath(id)}?showHistory=true&showInput=true", UriKind.Relative), Ct))
        {
            JsonElement status = await detailed.ExpectJsonAsync(HttpStatusCode.OK, Ct);
            CollectionAssert.AreEqual(new[] { "Lu", "Mo" }, status.GetProperty("input").GetProperty("names").Strings());
            JsonElement history = status.GetProperty("history");
            Assert.AreEqual(JsonValueKind.Array, history.ValueKind, status.ToString());
            Assert.IsGreaterThan(0, history.GetArrayLength(), status.ToString());
            EventType[] types = history.EnumerateArray().Select(TypeOf).ToArray();
            Assert.AreEqual(1, types.Count(t => t == EventType.ExecutionStarted), history.ToString());
            Assert.AreEqual(1, types.Count(t => t == EventType.ExecutionCompleted), history.ToString());
            Assert.AreEqual(2, types.Count(t => t == EventType.TaskScheduled), "one activity call per name");
            Assert.AreEqual(2, types.Count(t => t == EventType.TaskCompleted), "one activity result per name");
            Assert.Contains("SayHelloActivity", history.ToString());
        }

        using (HttpResponseMessage purge = await host.Http.DeleteAsync(new Uri(InstancePath(id), UriKind.Relative), Ct))
        {
            Assert.AreEqual(1, (await purge.ExpectJsonAsync(HttpStatusCode.OK, Ct)).GetProperty("instancesDeleted").GetInt32());
        }

        using HttpResponseMessage gone = await host.Http.GetAsync(new Uri(InstancePath(id), UriKind.Relative), Ct);
        await gone.ExpectProblemAsync(HttpStatusCode.NotFound, Ct, id);
    }

    [TestMethod]
    public async Task AzureStorage_ListWithFiltersAndPagesOfTwo_VisitsEveryInstanceExactlyOnce()
    {
        await using TestHost host = await StartHostAsync(EngineBackend.AzureStorage);
        string tag = Guid.NewGuid().ToString("N")[..8];
        string[] ids = Enumerable.Range(0, 5).Select(i => $"az-page-{tag}-{i}").ToArray();
        foreach (string id in ids)
        {
            await StartAsync(host, "hello-sequence", instanceId: id);
        }

        foreach (string id in ids)
        {
            await WaitForStatusAsync(host, id, "Completed");
        }

        string waiting = $"az-wait-{tag}";
        await StartApprovalAsync(host, waiting);

        foreach (bool tokenInHeader in new[] { false, true })
        {
            List<string> seen = await ListInstancesApiTests.ListAllPagesAsync(host, $"top=2&instanceIdPrefix=az-page-{tag}", tokenInHeader, expectedPages: 3, Ct);
            CollectionAssert.AllItemsAreUnique(seen, string.Join(", ", seen));
            CollectionAssert.AreEquivalent(ids, seen);
        }

        List<string> all = await ListInstancesApiTests.ListAllPagesAsync(host, "top=2&status=Completed,Running", tokenInHeader: false, expectedPages: 3, Ct);
        CollectionAssert.AreEquivalent(ids.Append(waiting).ToArray(), all);

        using HttpResponseMessage running = await host.Http.GetAsync(new Uri("api/instances?status=Running&workflow=approval", UriKind.Relative), Ct);
        JsonElement page = await running.ExpectJsonAsync(HttpStatusCode.OK, Ct);
        Assert.AreEqual(waiting, page.GetProperty("instances").EnumerateArray().Single().GetProperty("instanceId").GetString());
    }

    [TestMethod]
    public async Task AzureStorage_PurgeManyByCreatedWindow_DeletesOnlyFinishedInstances()
    {
        await using TestHost host = await StartHostAsync(EngineBackend.AzureStorage);
        DateTimeOffset from = DateTimeOffset.UtcNow.AddMinutes(-1);
        string done = NewId("az-done");
        string alive = NewId("az-alive");
        await StartAsync(host, "hello-sequence", instanceId: done);
        await WaitForStatusAsync(host, done, "Completed");
        await StartApprovalAsync(host, alive);

        using HttpResponseMessage response = await host.Http.DeleteAsync(
            new Uri($"api/instances?createdFrom={InstanceManagementApiTests.Time(from)}&createdTo={InstanceManagementApiTests.Time(DateTimeOffset.UtcNow.AddMinutes(1))}", UriKind.Relative), Ct);

        Assert.AreEqual(1, (await response.ExpectJsonAsync(HttpStatusCode.OK, Ct)).GetProperty("instancesDeleted").GetInt32());
        using HttpResponseMessage gone = await host.Http.GetAsync(new Uri(InstancePath(done), UriKind.Relative), Ct);
        await gone.ExpectProblemAsync(HttpStatusCode.NotFound, Ct);
        using HttpResponseMessage kept = await host.Http.GetAsync(new Uri(InstancePath(alive), UriKind.Relative), Ct);
        await kept.ExpectJsonAsync(HttpStatusCode.Accepted, Ct);
    }

    /// <summary>A history event's type, whether the host writes it as a number or a name, in any casing.</summary>
    static EventType TypeOf(JsonElement historyEvent)
    {
        JsonProperty property = historyEvent.EnumerateObject().Single(p => p.Name.Equals("eventType", StringComparison.OrdinalIgnoreCase));
        return property.Value.ValueKind == JsonValueKind.Number
            ? (EventType)property.Value.GetInt32()
            : Enum.Parse<EventType>(property.Value.GetString()!, ignoreCase: true);
    }

    /// <summary>
    /// Own Azurite: the poison queue has a fixed name, so on the shared one another test's parked blob could show up.
    /// </summary>
    [TestMethod]
    public async Task PoisonBlobs_NothingParked_ReturnsEmptyListThenListsWhatIsParked()
    {
        await using AzuriteLauncher azurite = await AzuriteLauncher.StartAsync(new AzuriteLaunchOptions { InMemory = true, StartTimeout = Deadlines.Short }, NullLogger.Instance, Ct);
        await using TestHost host = await StartHostAsync(EngineBackend.AzureStorage, new Dictionary<string, string> { ["AzureWebJobsStorage"] = azurite.ConnectionString });

        using (HttpResponseMessage empty = await host.Http.GetAsync(new Uri("api/blob-triggers/poison", UriKind.Relative), Ct))
        {
            JsonElement list = await empty.ExpectJsonAsync(HttpStatusCode.OK, Ct);
            Assert.AreEqual("[]", list.GetRawText());
        }

        QueueClient queue = host.App.Services.GetRequiredService<QueueServiceClient>().GetQueueClient(PoisonQueue.Name);
        await queue.CreateIfNotExistsAsync(cancellationToken: Ct);
        await queue.SendMessageAsync(PoisonQueue.Create(BlobTriggerFunctions.SamplesIn, "samples-in", "bad.bin", "\"0x1\"", "boom"), cancellationToken: Ct);

        using HttpResponseMessage parked = await host.Http.GetAsync(new Uri("api/blob-triggers/poison", UriKind.Relative), Ct);
        JsonElement blob = (await parked.ExpectJsonAsync(HttpStatusCode.OK, Ct)).EnumerateArray().Single();
        Assert.AreEqual(BlobTriggerFunctions.SamplesIn, blob.GetProperty("functionId").GetString());
        Assert.AreEqual("samples-in", blob.GetProperty("containerName").GetString());
        Assert.AreEqual("bad.bin", blob.GetProperty("blobName").GetString());
        Assert.AreEqual("boom", blob.GetProperty("reason").GetString());
    }

    [TestMethod]
    public async Task PoisonBlobs_HostWithoutStorage_ReturnsProblemNotABarePage()
    {
        await using TestHost host = await StartHostAsync();

        using HttpResponseMessage response = await host.Http.GetAsync(new Uri("api/blob-triggers/poison", UriKind.Relative), Ct);

        string text = await response.Content.ReadAsStringAsync(Ct);
        Assert.AreEqual(ApiAssert.ProblemJson, response.Content.Headers.ContentType?.MediaType, text);
        Assert.IsGreaterThanOrEqualTo(500, (int)response.StatusCode, text);
        Assert.DoesNotContain("InvalidOperationException", text, "no exception details leak");
        Assert.DoesNotContain("   at ", text, "no stack trace leaks");
    }
}

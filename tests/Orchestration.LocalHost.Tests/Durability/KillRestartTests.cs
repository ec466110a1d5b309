using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orchestration.LocalHost.Tests.Engine;
using Orchestration.LocalHost.Tests.Infrastructure;

namespace Orchestration.LocalHost.Tests.Durability;

/// <summary>
/// The promise of the AzureStorage backend: kill the host mid-run (SIGKILL, no graceful anything), start it again, and
/// the work finishes with the right answer. The host runs as a separate process, started exactly as a user would.
/// </summary>
[TestClass]
public sealed class KillRestartTests
{
    const string ApiKey = "durability-key-0123456789";
    const int Count = 1000;
    const int BatchSize = 250;
    const int MinimumProgress = 40;

    public TestContext TestContext { get; set; } = null!;

    CancellationToken Cancel => TestContext.CancellationToken;

    [TestMethod]
    public async Task FanOut_HostKilledMidFlightAndRestarted_CompletesWithExactSum()
    {
        string dll = LocalHostProcess.LocalHostDll();
        int port = LocalHostProcess.FreePort();
        string[] args =
        [
            $"--urls=http://127.0.0.1:{port}",
            $"--AzureWebJobsStorage={Infrastructure.Azurite.ConnectionString}",
            "--Durable:Backend=AzureStorage",
            $"--Durable:TaskHub={TestHost.NewTaskHub()}",
            "--Durable:WorkerId=durability-host",
            "--Durable:WorkItemVisibilityTimeoutSeconds=5",
            "--Durable:MaxQueuePollingIntervalSeconds=0.5",
            $"--LocalHost:ApiKey={ApiKey}",
            "--LocalHost:Timers=false",
            "--LocalHost:BlobTriggers=false",
        ];
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Add("x-functions-key", ApiKey);
        using var anonymous = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var output = new ConcurrentQueue<string>();
        LocalHostProcess? host = null;
        bool passed = false;
        try
        {
            host = LocalHostProcess.Start(dll, args, output, "run 1");
            await WaitUntilHealthyAsync(anonymous, host);

            using HttpResponseMessage started = await http.PostAsJsonAsync("api/workflows/fan-out", new { count = Count, batchSize = BatchSize }, Cancel);
            Assert.AreEqual(HttpStatusCode.Accepted, started.StatusCode, await started.Content.ReadAsStringAsync(Cancel));
            string id = (await started.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetString()!;

            // Mid-flight: the first batch has finished some of its activities, and the whole fan-out is not done.
            var clock = System.Diagnostics.Stopwatch.StartNew();
            int progress = await WaitForProgressAsync(http, host, id);
            TestContext.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: killing pid {host.Id} with {progress} of batch 0's {BatchSize} activities done");
            await host.KillHardAsync();
            host.Dispose();
            host = null;
            (HttpStatusCode status, JsonElement _) = await GetInstanceAsync(http, id);
            Assert.AreEqual(HttpStatusCode.ServiceUnavailable, status, "the host is really gone");

            host = LocalHostProcess.Start(dll, args, output, "run 2");
            await WaitUntilHealthyAsync(anonymous, host);
            TestContext.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: restarted host is healthy");
            JsonElement done = await Eventually.ReturnsAsync<object>(
                async () =>
                {
                    Assert.IsFalse(host.HasExited, "the restarted host exited");
                    (HttpStatusCode code, JsonElement body) = await GetInstanceAsync(http, id);
                    return code == HttpStatusCode.OK ? body : null;
                },
                Instances.Long,
                $"fan-out {id} to finish after the restart") is JsonElement body ? body : default;

            TestContext.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: fan-out finished");
            Assert.AreEqual("Completed", done.GetProperty("runtimeStatus").GetString(), done.ToString());
            JsonElement result = done.GetProperty("output");
            Assert.AreEqual(Instances.SumOfSquares(Count), result.GetProperty("sumOfSquares").GetInt64(), "exact sum despite activities re-run after the kill");
            Assert.AreEqual(Count / BatchSize, result.GetProperty("batches").GetInt32());
            passed = true;
        }
        finally
        {
            host?.Dispose();
            if (!passed)
            {
                foreach (string line in output)
                {
                    TestContext.WriteLine(line);
                }
            }
        }
    }

    /// <summary>Polls the health endpoint without a key until the host answers; fails at once if it exits.</summary>
    async Task WaitUntilHealthyAsync(HttpClient anonymous, LocalHostProcess host)
    {
        await Eventually.HoldsAsync(
            async () =>
            {
                Assert.IsFalse(host.HasExited, "the local host exited during start-up");
                try
                {
                    using HttpResponseMessage response = await anonymous.GetAsync("api/health", Cancel);
                    return response.StatusCode == HttpStatusCode.OK;
                }
                catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !Cancel.IsCancellationRequested))
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(60),
            "the local host to answer /api/health");
    }

    /// <summary>
    /// Waits until batch 0 has finished a good number of its activities while the fan-out as a whole is still running.
    /// Status rows are cheap and polled often; batch 0's history (hundreds of rows) is read at most once a second.
    /// </summary>
    async Task<int> WaitForProgressAsync(HttpClient http, LocalHostProcess host, string id)
    {
        string batch = $"{id}:batch:0";
        var sinceHistoryRead = System.Diagnostics.Stopwatch.StartNew();
        int completed = 0;
        await Eventually.HoldsAsync(
            async () =>
            {
                Assert.IsFalse(host.HasExited, "the local host exited before the kill");
                (HttpStatusCode parent, JsonElement _) = await GetInstanceAsync(http, id);
                Assert.AreNotEqual(HttpStatusCode.OK, parent, "the fan-out finished before it could be interrupted; make it bigger");
                (HttpStatusCode code, JsonElement _) = await GetInstanceAsync(http, batch);
                if (parent != HttpStatusCode.Accepted || code != HttpStatusCode.Accepted || sinceHistoryRead.Elapsed < TimeSpan.FromSeconds(1))
                {
                    return false;
                }

                sinceHistoryRead.Restart();
                (HttpStatusCode read, JsonElement withHistory) = await GetInstanceAsync(http, batch, "?showHistory=true");
                completed = read == HttpStatusCode.Accepted ? withHistory.GetProperty("history").EnumerateArray().Count(IsTaskCompleted) : 0;
                return completed >= MinimumProgress;
            },
            Instances.Long,
            $"batch 0 of the fan-out to finish {MinimumProgress} activities");
        return completed;
    }

    /// <summary>A TaskCompleted history event, whether the API shows event types as names or as numbers.</summary>
    static bool IsTaskCompleted(JsonElement historyEvent)
    {
        foreach (JsonProperty property in historyEvent.EnumerateObject())
        {
            if (string.Equals(property.Name, "eventType", StringComparison.OrdinalIgnoreCase))
            {
                return property.Value.ValueKind == JsonValueKind.Number
                    ? property.Value.GetInt32() == (int)DurableTask.Core.History.EventType.TaskCompleted
                    : property.Value.GetString() == nameof(DurableTask.Core.History.EventType.TaskCompleted);
            }
        }

        return false;
    }

    /// <summary>GET /api/instances/{id}: 200 finished, 202 alive; 503 when nobody listens, 408 when the answer is too slow.</summary>
    async Task<(HttpStatusCode Status, JsonElement Body)> GetInstanceAsync(HttpClient http, string id, string query = "")
    {
        try
        {
            using HttpResponseMessage response = await http.GetAsync($"api/instances/{Uri.EscapeDataString(id)}{query}", Cancel);
            JsonElement body = response.Content.Headers.ContentLength is 0 ? default : await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
            return (response.StatusCode, body);
        }
        catch (HttpRequestException)
        {
            // Nobody listening: the host is down.
            return (HttpStatusCode.ServiceUnavailable, default);
        }
        catch (TaskCanceledException) when (!Cancel.IsCancellationRequested)
        {
            // A slow answer on a loaded box (Azurite is single-threaded): ask again.
            return (HttpStatusCode.RequestTimeout, default);
        }
    }
}

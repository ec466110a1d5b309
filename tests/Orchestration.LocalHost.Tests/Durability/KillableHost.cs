using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orchestration.LocalHost.Tests.Infrastructure;

namespace Orchestration.LocalHost.Tests.Durability;

/// <summary>
/// A local host process on the AzureStorage backend over the assembly's Azurite that a test can SIGKILL and start again
/// with the same settings (same port, task hub and worker id, as a restarted machine would). Its output from every run is
/// kept for <see cref="WriteOutput"/> to show when the test fails.
/// </summary>
internal sealed class KillableHost : IDisposable
{
    public const string ApiKey = "durability-key-0123456789";

    readonly string dll = LocalHostProcess.LocalHostDll();
    readonly string[] args;
    readonly HttpClient anonymous;
    readonly ConcurrentQueue<string> output = new();
    readonly CancellationToken cancel;
    LocalHostProcess? process;
    int runs;

    /// <param name="extraArgs">Settings on top of the defaults (<c>--key=value</c>; later ones win).</param>
    public KillableHost(IEnumerable<string> extraArgs, CancellationToken cancel)
    {
        this.cancel = cancel;
        int port = LocalHostProcess.FreePort();
        args =
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
            .. extraArgs,
        ];
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        Http.DefaultRequestHeaders.Add("x-functions-key", ApiKey);
        anonymous = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>A client with the host's key.</summary>
    public HttpClient Http { get; }

    /// <summary>Starts the host (run 1, run 2, ...) and waits until it answers <c>/api/health</c>.</summary>
    public async Task StartAsync()
    {
        if (process is not null)
        {
            throw new InvalidOperationException("The host is already running.");
        }

        process = LocalHostProcess.Start(dll, args, output, $"run {++runs}");
        await Eventually.HoldsAsync(
            async () =>
            {
                AssertAlive("during start-up");
                try
                {
                    using HttpResponseMessage response = await anonymous.GetAsync("api/health", cancel);
                    return response.StatusCode == HttpStatusCode.OK;
                }
                catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancel.IsCancellationRequested))
                {
                    return false;
                }
            },
            Deadlines.Short,
            "the local host to answer /api/health");
    }

    /// <summary>SIGKILL, then proof it is gone: the API no longer answers.</summary>
    public async Task KillAsync()
    {
        LocalHostProcess running = process ?? throw new InvalidOperationException("The host is not running.");
        output.Enqueue($"[test] killing pid {running.Id}");
        await running.KillHardAsync();
        running.Dispose();
        process = null;
        (HttpStatusCode status, JsonElement _) = await GetInstanceAsync("anything");
        Assert.AreEqual(HttpStatusCode.ServiceUnavailable, status, "the host is really gone");
    }

    /// <summary>Fails the test at once when the host process has exited.</summary>
    public void AssertAlive(string when) =>
        Assert.IsFalse(process is null || process.HasExited, $"the local host exited {when}");

    /// <summary>GET /api/instances/{id}: 200 finished, 202 alive; 503 when nobody listens, 408 when the answer is too slow.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> GetInstanceAsync(string id, string query = "")
    {
        try
        {
            using HttpResponseMessage response = await Http.GetAsync($"api/instances/{Uri.EscapeDataString(id)}{query}", cancel);
            JsonElement body = response.Content.Headers.ContentLength is 0 ? default : await response.Content.ReadFromJsonAsync<JsonElement>(cancel);
            return (response.StatusCode, body);
        }
        catch (HttpRequestException)
        {
            // Nobody listening: the host is down.
            return (HttpStatusCode.ServiceUnavailable, default);
        }
        catch (TaskCanceledException) when (!cancel.IsCancellationRequested)
        {
            // A slow answer on a loaded box (Azurite is single-threaded): ask again.
            return (HttpStatusCode.RequestTimeout, default);
        }
    }

    /// <summary>Waits (failing at once if the host dies) until the instance has finished; returns its status.</summary>
    public async Task<JsonElement> FinishedAsync(string id, TimeSpan patience, string what) =>
        await Eventually.ReturnsAsync<object>(
            async () =>
            {
                AssertAlive($"while waiting for {what}");
                (HttpStatusCode code, JsonElement body) = await GetInstanceAsync(id);
                return code == HttpStatusCode.OK ? body : null;
            },
            patience,
            what) is JsonElement body ? body : default;

    /// <summary>Every line the host's runs printed, tagged with the run.</summary>
    public void WriteOutput(TestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (string line in output)
        {
            context.WriteLine(line);
        }
    }

    public void Dispose()
    {
        process?.Dispose();
        Http.Dispose();
        anonymous.Dispose();
    }
}

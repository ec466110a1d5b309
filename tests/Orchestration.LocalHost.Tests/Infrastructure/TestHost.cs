using Microsoft.AspNetCore.Builder;
using System.Net.Http.Headers;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Orchestration.LocalHost.Engine;

namespace Orchestration.LocalHost.Tests.Infrastructure;

/// <summary>How a test wants its local host.</summary>
public sealed record TestHostOptions
{
    public EngineBackend Backend { get; init; } = EngineBackend.InMemory;

    /// <summary>Defaults to a fresh hub per host, so tests never see each other's instances.</summary>
    public string? TaskHub { get; init; }

    public bool BlobTriggers { get; init; }

    public bool Timers { get; init; }

    /// <summary>Extra settings, as configuration keys (e.g. "Durable:PartitionCount" = "2").</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    public Action<DurableTaskRegistry>? AddTasks { get; init; }

    public Action<WebApplicationBuilder>? Configure { get; init; }
}

/// <summary>A real local host in this process (HTTP on a free loopback port), with a client that sends the key.</summary>
public sealed class TestHost : IAsyncDisposable
{
    public const string ApiKey = "test-key-0123456789";

    TestHost(LocalHostApp app, string taskHub)
    {
        App = app;
        TaskHub = taskHub;
        Http = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(100) };
        Http.DefaultRequestHeaders.Add("x-functions-key", ApiKey);
        Http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    public LocalHostApp App { get; }

    public string TaskHub { get; }

    /// <summary>Sends the API key on every request.</summary>
    public HttpClient Http { get; }

    public DurableTaskClient Client => App.Client;

    public static string NewTaskHub() => $"T{Guid.NewGuid():N}";

    public static async Task<TestHost> StartAsync(TestHostOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new TestHostOptions();
        string taskHub = options.TaskHub ?? NewTaskHub();
        var settings = new Dictionary<string, string>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Durable:Backend"] = options.Backend.ToString(),
            ["Durable:TaskHub"] = taskHub,
            ["Durable:WorkerId"] = $"test-{Guid.NewGuid():N}",
            ["Durable:PartitionCount"] = "2",
            ["Durable:MaxQueuePollingIntervalSeconds"] = "0.5",
            ["LocalHost:ApiKey"] = ApiKey,
            ["LocalHost:BlobTriggers"] = options.BlobTriggers.ToString(),
            ["LocalHost:Timers"] = options.Timers.ToString(),
            ["BlobTriggers:PollIntervalSeconds"] = "0.25",
            ["BlobTriggers:RetryDelaySeconds"] = "0.1",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (options.Backend == EngineBackend.AzureStorage || options.BlobTriggers)
        {
            settings["AzureWebJobsStorage"] = Azurite.ConnectionString;
        }

        foreach ((string key, string value) in options.Settings)
        {
            settings[key] = value;
        }

        LocalHostApp app = await LocalHostApp.StartAsync(
            settings.Select(kv => $"--{kv.Key}={kv.Value}").ToArray(),
            new LocalHostHooks { AddTasks = options.AddTasks, Configure = options.Configure },
            cancellationToken);
        return new TestHost(app, taskHub);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.DisposeAsync();
    }
}

using System.Net;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Orchestration.Workflows.Storage;

namespace Orchestration.LocalHost.Engine;

/// <summary>
/// The Durable Task engine: a gRPC sidecar (the Durable Task SDK's <see cref="TaskHubGrpcServer"/>) on a private
/// loopback port, dispatching work from the configured backend to the app's worker. It is what the Functions host's
/// Durable extension is to the isolated worker.
/// </summary>
public sealed class DurableEngine : IAsyncDisposable
{
    const int MaxMessageBytes = 64 * 1024 * 1024;

    readonly WebApplication sidecar;
    readonly ServiceDecorator backend;
    readonly ILoggerFactory loggerFactory;

    DurableEngine(WebApplication sidecar, ServiceDecorator backend, ILoggerFactory loggerFactory, EngineBackend kind, string address, EngineOptions options)
    {
        this.sidecar = sidecar;
        this.backend = backend;
        this.loggerFactory = loggerFactory;
        Backend = kind;
        Address = address;
        Options = options;
        Channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = MaxMessageBytes,
            MaxSendMessageSize = MaxMessageBytes,
        });
    }

    public EngineBackend Backend { get; }

    public string Address { get; }

    public EngineOptions Options { get; }

    /// <summary>The channel the worker and the client talk to the engine over.</summary>
    public GrpcChannel Channel { get; }

    /// <summary>Direct access to the backend, for what the sidecar does not expose (instance history).</summary>
    internal IOrchestrationServiceClient BackendClient => backend;

    public static async Task<DurableEngine> StartAsync(IConfiguration configuration, EngineOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        string? connection = configuration.GetStorageConnection();
        EngineBackend kind = options.Backend switch
        {
            EngineBackend.Auto => connection is null ? EngineBackend.InMemory : EngineBackend.AzureStorage,
            _ => options.Backend,
        };

        // The sidecar gets only the logging settings. An empty builder: no appsettings.json, environment or command line, whose "Urls" and Kestrel settings are the app's.
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "Orchestration.Engine" });
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRouting();
        builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        ILoggerFactory loggerFactory = LoggerFactory.Create(logging =>
        {
            logging.AddConfiguration(configuration.GetSection("Logging"));
            logging.AddSimpleConsole(o => o.SingleLine = true);
        });

        ServiceDecorator backend = kind switch
        {
            EngineBackend.AzureStorage => await CreateAzureStorageAsync(
                connection ?? throw new InvalidOperationException(
                    $"Durable:Backend is AzureStorage but no storage account is configured: set {StorageServiceCollectionExtensions.ConnectionSetting}."),
                options,
                loggerFactory),
            _ => CreateInMemory(options, loggerFactory),
        };

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = MaxMessageBytes;
            grpc.MaxSendMessageSize = MaxMessageBytes;
        });
        builder.Services.AddSingleton<IOrchestrationService>(backend);
        builder.Services.AddSingleton<IOrchestrationServiceClient>(backend);
        builder.Services.AddSingleton<TaskHubGrpcServer>();

        WebApplication sidecar = builder.Build();
        sidecar.MapGrpcService<TaskHubGrpcServer>();
        await sidecar.StartAsync(cancellationToken);

        string address = sidecar.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        ILogger logger = loggerFactory.CreateLogger<DurableEngine>();
        Logs.EngineStarted(logger, kind.ToString(), options.TaskHub, address, options.PartitionCount);
        return new DurableEngine(sidecar, backend, loggerFactory, kind, address, options);
    }

    static async Task<ServiceDecorator> CreateAzureStorageAsync(string connection, EngineOptions options, ILoggerFactory loggerFactory)
    {
        var settings = new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(connection),
            TaskHubName = options.TaskHub,
            PartitionCount = options.PartitionCount,
            MaxConcurrentTaskActivityWorkItems = options.MaxConcurrentActivities,
            MaxConcurrentTaskOrchestrationWorkItems = options.MaxConcurrentOrchestrations,
            MaxQueuePollingInterval = TimeSpan.FromSeconds(options.MaxQueuePollingIntervalSeconds),
            WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(options.WorkItemVisibilityTimeoutSeconds),
            ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(Math.Max(options.WorkItemVisibilityTimeoutSeconds, 30)),
            WorkerId = string.IsNullOrWhiteSpace(options.WorkerId) ? Environment.MachineName : options.WorkerId,
            UseAppLease = false,
            ExtendedSessionsEnabled = options.ExtendedSessions,
            ExtendedSessionIdleTimeout = TimeSpan.FromSeconds(options.ExtendedSessionIdleTimeoutSeconds),
            UseTablePartitionManagement = options.UseTablePartitionManagement,
            LoggerFactory = loggerFactory,
        };
        var service = new AzureStorageOrchestrationService(settings);
        await service.CreateIfNotExistsAsync();
        var decorator = new ServiceDecorator(service, service, options, renewActivityLocks: true, loggerFactory.CreateLogger<ServiceDecorator>());
        if (options.ExtendedSessions)
        {
            decorator.KeepSessions();
        }

        return decorator;
    }

    static ServiceDecorator CreateInMemory(EngineOptions options, ILoggerFactory loggerFactory)
    {
        var service = new InMemoryOrchestrationService(loggerFactory);
        return new ServiceDecorator(service, service, options, renewActivityLocks: false, loggerFactory.CreateLogger<ServiceDecorator>());
    }

    /// <summary>
    /// Stops the sidecar and the backend within a bound (<see cref="EngineOptions.StopTimeoutSeconds"/> per step) and never
    /// throws: a step that takes longer is left behind, one that fails is logged; whatever it held (partition leases,
    /// work-item locks) lapses by itself and is taken over by the next start.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        ILogger logger = loggerFactory.CreateLogger<DurableEngine>();
        TimeSpan bound = TimeSpan.FromSeconds(Options.StopTimeoutSeconds);
        await StopStepAsync(logger, "the engine's channel", bound, () => Channel.ShutdownAsync());
        Channel.Dispose();

        // The sidecar's dispatchers wait for their work items (up to the token), then the backend stops (bounded itself).
        await StopStepAsync(logger, "the engine's sidecar", bound * 3, async () =>
        {
            using var timeout = new CancellationTokenSource(bound);
            await sidecar.StopAsync(timeout.Token);
        });
        // The sidecar stops the backend from a handler it does not wait for: wait here (the same, bounded, stop).
        await StopStepAsync(logger, "the engine's backend", bound * 2, () => backend.StopAsync());
        await StopStepAsync(logger, "the engine's sidecar (dispose)", bound, async () => await sidecar.DisposeAsync());
        await StopStepAsync(logger, "the engine's backend (dispose)", bound, () =>
        {
            backend.Dispose();
            return Task.CompletedTask;
        });
        loggerFactory.Dispose();
    }

    /// <summary>Runs one step of a stop: waits at most <paramref name="bound"/>, logs instead of throwing.</summary>
    internal static async Task StopStepAsync(ILogger logger, string part, TimeSpan bound, Func<Task> step)
    {
        Task task;
        try
        {
            task = step();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Logs.StopStepAbandoned(logger, ex, part, bound.TotalSeconds);
            return;
        }

        try
        {
            await task.WaitAsync(bound);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Left running on a timeout: observe its end so that a late failure is not an unobserved exception.
            _ = task.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            Logs.StopStepAbandoned(logger, ex is TimeoutException ? null : ex, part, bound.TotalSeconds);
        }
    }
}

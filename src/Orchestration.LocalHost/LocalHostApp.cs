using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orchestration.LocalHost.Api;
using Orchestration.LocalHost.Azurite;
using Orchestration.LocalHost.Engine;
using Orchestration.LocalHost.Triggers;
using Orchestration.Workflows;
using Orchestration.Workflows.Catalog;
using Orchestration.Workflows.Durable;
using Orchestration.Workflows.Http;
using Orchestration.Workflows.Imaging;
using Orchestration.Workflows.Storage;

namespace Orchestration.LocalHost;

/// <summary>Extra hooks for whoever starts the host in-process (tests, benchmarks).</summary>
public sealed class LocalHostHooks
{
    /// <summary>More orchestrators and activities beside the catalog's.</summary>
    public Action<DurableTaskRegistry>? AddTasks { get; init; }

    /// <summary>Last word on the web app's services and configuration.</summary>
    public Action<WebApplicationBuilder>? Configure { get; init; }
}

/// <summary>
/// A running local host: the Durable Task engine, the worker and client connected to it, the HTTP API, the blob
/// watcher and the timers; and, with <c>--azurite</c>, the Azurite it started. <see cref="DisposeAsync"/> stops all.
/// </summary>
public sealed class LocalHostApp : IAsyncDisposable
{
    /// <summary>Where <c>--azurite</c> keeps Azurite's data (default: <c>.azurite/</c> in the repository).</summary>
    public const string AzuriteLocationSetting = "LocalHost:AzuriteLocation";

    readonly WebApplication app;
    readonly DurableEngine engine;
    readonly AzuriteLauncher? azurite;
    readonly ILoggerFactory? azuriteLogging;

    LocalHostApp(WebApplication app, DurableEngine engine, AzuriteLauncher? azurite, ILoggerFactory? azuriteLogging, string apiKey)
    {
        this.app = app;
        this.engine = engine;
        this.azurite = azurite;
        this.azuriteLogging = azuriteLogging;
        ApiKey = apiKey;
        BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public Uri BaseAddress { get; }

    public string ApiKey { get; }

    public IServiceProvider Services => app.Services;

    public DurableTaskClient Client => app.Services.GetRequiredService<DurableTaskClient>();

    public EngineBackend Backend => engine.Backend;

    public static async Task<LocalHostApp> StartAsync(string[] args, LocalHostHooks? hooks = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        bool startAzurite = args.Contains("--azurite", StringComparer.Ordinal);
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args.Where(a => a != "--azurite").ToArray(),
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);

        AzuriteLauncher? azurite = null;
        ILoggerFactory? azuriteLogging = null;
        if (startAzurite)
        {
            // Lives as long as Azurite: the launcher logs its exits and restarts.
            azuriteLogging = LoggerFactory.Create(l => l.AddConfiguration(builder.Configuration.GetSection("Logging")).AddSimpleConsole(o => o.SingleLine = true));
            ILogger bootLogger = azuriteLogging.CreateLogger<LocalHostApp>();
            // Restarted on the same ports with the same data if it exits; if that fails, the host stops (see below).
            string? location = builder.Configuration[AzuriteLocationSetting] is { Length: > 0 } configured ? Path.GetFullPath(configured) : null;
            azurite = await AzuriteLauncher.StartAsync(
                new AzuriteLaunchOptions { InMemory = false, DataDirectory = location, RestartOnExit = true },
                azuriteLogging.CreateLogger<AzuriteLauncher>(),
                cancellationToken);
            builder.Configuration[StorageServiceCollectionExtensions.ConnectionSetting] = azurite.ConnectionString;
            Logs.AzuriteStarted(bootLogger, location ?? ".azurite/", azurite.BlobPort, azurite.QueuePort, azurite.TablePort, azurite.ConnectionString);
        }

        hooks?.Configure?.Invoke(builder);

        DurableEngine engine;
        try
        {
            EngineOptions engineOptions = builder.Configuration.GetSection(EngineOptions.Section).Get<EngineOptions>() ?? new EngineOptions();
            Validate(engineOptions, builder.Configuration);
            engine = await DurableEngine.StartAsync(builder.Configuration, engineOptions, cancellationToken);
        }
        catch
        {
            if (azurite is not null)
            {
                await azurite.DisposeAsync();
            }

            azuriteLogging?.Dispose();
            throw;
        }

        try
        {
            string apiKey = builder.Configuration[$"{ApiKeyOptions.Section}:{nameof(ApiKeyOptions.ApiKey)}"] is { Length: > 0 } configured
                ? configured
                : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            bool generated = string.IsNullOrEmpty(builder.Configuration[$"{ApiKeyOptions.Section}:{nameof(ApiKeyOptions.ApiKey)}"]);
            ConfigureServices(builder, engine, hooks);

            WebApplication app = builder.Build();

            // A bad workflow.json stops the host here.
            app.Services.LoadWorkflowDefinitions();
            app.UseExceptionHandler();
            app.UseStatusCodePages(ApiEndpoints.WriteBodilessErrorAsync);
            app.UseMiddleware<ApiKeyMiddleware>(apiKey);
            app.MapOrchestrationApi();
            await app.StartAsync(cancellationToken);

            var host = new LocalHostApp(app, engine, azurite, azuriteLogging, apiKey);
            ILogger logger = app.Services.GetRequiredService<ILogger<LocalHostApp>>();
            if (azurite is not null)
            {
                // A host without its storage only fails every call: it stops, saying why, and exits non-zero.
                IHostApplicationLifetime lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
                azurite.Lost.Register(() =>
                {
                    Logs.StoppingBecauseAzuriteIsGone(logger, azurite.LostReason ?? "Azurite is gone");
                    lifetime.StopApplication();
                });
                lifetime.ApplicationStopping.Register(azurite.ExpectExit);
            }

            if (generated)
            {
                Logs.ApiKeyGenerated(logger, apiKey);
            }

            Logs.Listening(logger, string.Join(", ", app.Urls));
            return host;
        }
        catch
        {
            await engine.DisposeAsync();
            if (azurite is not null)
            {
                await azurite.DisposeAsync();
            }

            azuriteLogging?.Dispose();
            throw;
        }
    }

    static void ConfigureServices(WebApplicationBuilder builder, DurableEngine engine, LocalHostHooks? hooks)
    {
        IServiceCollection services = builder.Services;
        services.AddOrchestrationWorkflows();
        services.AddSingleton(engine);
        services.AddSingleton<IHistoryReader, BackendHistoryReader>();
        services.AddSingleton<StorageHealth>();
        services.AddSingleton(TimeProvider.System);
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        var converter = new JsonDataConverter(DurableJson.Options);
        services.AddDurableTaskWorker(worker =>
        {
            worker.AddTasks(registry =>
            {
                registry.AddWorkflowTasks();
                hooks?.AddTasks?.Invoke(registry);
            });
            worker.UseGrpc(engine.Channel);
            worker.Configure(o =>
            {
                o.DataConverter = converter;
                o.Concurrency.MaximumConcurrentActivityWorkItems = engine.Options.MaxConcurrentActivities;
                o.Concurrency.MaximumConcurrentOrchestrationWorkItems = engine.Options.MaxConcurrentOrchestrations;
            });
        });
        services.AddDurableTaskClient(client =>
        {
            client.UseGrpc(engine.Channel);
            client.Configure(o => o.DataConverter = converter);
        });

        if (builder.Configuration.GetStorageConnection() is not null
            && builder.Configuration.GetValue("LocalHost:BlobTriggers", defaultValue: true))
        {
            services.AddOptions<BlobWatcherOptions>().BindConfiguration(BlobWatcherOptions.Section).ValidateDataAnnotations().ValidateOnStart();
            services.TryAddSingleton<IBlobTriggerHandler, StarterBlobTriggerHandler>();
            services.AddHostedService<BlobWatcher>();
        }

        if (builder.Configuration.GetValue("LocalHost:Timers", defaultValue: true))
        {
            services.AddHostedService<TimerScheduler>();
        }
    }

    /// <summary>Fails start-up with messages that name the bad setting.</summary>
    static void Validate(EngineOptions options, IConfiguration configuration)
    {
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        if (!System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true))
        {
            throw new OptionsValidationException(EngineOptions.Section, typeof(EngineOptions), results.Select(r => $"{EngineOptions.Section}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
        }

        foreach (TimerDefinition timer in WorkflowCatalog.Timers)
        {
            TimerScheduler.Parse(timer, configuration[timer.ScheduleSetting] is { Length: > 0 } s ? s : timer.DefaultSchedule);
        }
    }

    /// <summary>Blocks until SIGINT (Ctrl-C) / SIGTERM, or until the Azurite it started is gone for good.</summary>
    public Task WaitForShutdownAsync() => app.WaitForShutdownAsync();

    /// <summary>The process's exit code once stopped: 1 when it stopped because its Azurite was gone, else 0.</summary>
    public int ExitCode => azurite?.LostReason is null ? 0 : 1;

    /// <summary>
    /// Stops everything, each part within a bound (a few times <c>Durable:StopTimeoutSeconds</c>), and never throws: a
    /// part that hangs (storage gone or busy) is left behind and logged, the next one is stopped all the same, and
    /// Azurite last.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        ILogger logger = app.Services.GetRequiredService<ILogger<LocalHostApp>>();
        TimeSpan bound = TimeSpan.FromSeconds(engine.Options.StopTimeoutSeconds);
        try
        {
            await DurableEngine.StopStepAsync(logger, "the web host (API, worker, triggers)", bound * 3, async () =>
            {
                using var timeout = new CancellationTokenSource(bound * 2);
                await app.StopAsync(timeout.Token);
            });
            await DurableEngine.StopStepAsync(logger, "the web host (dispose)", bound, async () => await app.DisposeAsync());
            await engine.DisposeAsync();
        }
        finally
        {
            if (azurite is not null)
            {
                await azurite.DisposeAsync();
            }

            azuriteLogging?.Dispose();
        }
    }
}

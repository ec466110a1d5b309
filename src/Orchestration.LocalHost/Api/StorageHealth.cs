using System.Diagnostics;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Orchestration.Workflows.Durable;
using Orchestration.Workflows.Storage;

namespace Orchestration.LocalHost.Api;

/// <summary>What <c>GET /api/health</c> answers on the local host: the host is up, and whether its storage answers.</summary>
/// <param name="Status">Healthy (200) or Unhealthy (503).</param>
/// <param name="Storage">Reachable, Unreachable, or NotConfigured (in-memory engine, no storage account).</param>
/// <param name="Detail">Why storage is unreachable.</param>
public sealed record StorageHealthReport(string Status, DateTimeOffset Time, string Storage, string? Detail = null);

/// <summary>
/// The health of the local host's storage: one cheap call each to the Blob and Queue services (the engine's queues, the
/// triggers' blobs), with no retries and a short timeout, so the answer is quick even while storage is gone. One probe
/// serves every request for <see cref="CacheFor"/>; concurrent requests share it.
/// </summary>
internal sealed class StorageHealth
{
    static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);
    static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);

    readonly BlobServiceClient? blobs;
    readonly QueueServiceClient? queues;
    readonly ILogger<StorageHealth> logger;
    readonly Lock gate = new();
    Task<string?>? probe;
    long probedAt;
    bool? lastHealthy;

    public StorageHealth(IConfiguration configuration, ILogger<StorageHealth> logger)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        this.logger = logger;
        if (configuration.GetStorageConnection() is { } connection)
        {
            var blobOptions = new BlobClientOptions();
            blobOptions.Retry.MaxRetries = 0;
            blobOptions.Retry.NetworkTimeout = ProbeTimeout;
            var queueOptions = new QueueClientOptions();
            queueOptions.Retry.MaxRetries = 0;
            queueOptions.Retry.NetworkTimeout = ProbeTimeout;
            blobs = new BlobServiceClient(connection, blobOptions);
            queues = new QueueServiceClient(connection, queueOptions);
        }
    }

    /// <summary>200 Healthy when storage answers (or none is configured), 503 Unhealthy with the reason when it does not.</summary>
    public async Task<IResult> CheckAsync()
    {
        if (blobs is null || queues is null)
        {
            return Answer(new StorageHealthReport("Healthy", DateTimeOffset.UtcNow, "NotConfigured"));
        }

        string? problem = await CurrentProbe();
        return problem is null
            ? Answer(new StorageHealthReport("Healthy", DateTimeOffset.UtcNow, "Reachable"))
            : Answer(new StorageHealthReport("Unhealthy", DateTimeOffset.UtcNow, "Unreachable", problem), StatusCodes.Status503ServiceUnavailable);
    }

    Task<string?> CurrentProbe()
    {
        lock (gate)
        {
            if (probe is null || (probe.IsCompleted && Stopwatch.GetElapsedTime(probedAt) > CacheFor))
            {
                probedAt = Stopwatch.GetTimestamp();
                probe = ProbeAsync();
            }

            return probe;
        }
    }

    /// <summary>Null when both services answered; otherwise what went wrong. Never throws.</summary>
    async Task<string?> ProbeAsync()
    {
        string? problem;
        using var timeout = new CancellationTokenSource(ProbeTimeout);
        try
        {
            await Task.WhenAll(blobs!.GetPropertiesAsync(timeout.Token), queues!.GetPropertiesAsync(timeout.Token));
            problem = null;
        }
        catch (OperationCanceledException)
        {
            problem = $"storage did not answer within {ProbeTimeout.TotalSeconds:0} s";
        }
        catch (RequestFailedException ex) when (ex.Status != 0)
        {
            problem = $"storage answered {ex.Status} {ex.ErrorCode}";
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            problem = $"cannot connect to storage ({(ex.InnerException ?? ex).Message.ReplaceLineEndings(" ")})";
        }

        bool healthy = problem is null;
        if (lastHealthy != healthy)
        {
            lastHealthy = healthy;
            if (healthy)
            {
                Logs.StorageHealthy(logger);
            }
            else
            {
                Logs.StorageUnhealthy(logger, problem!);
            }
        }

        return problem;
    }

    static IResult Answer(StorageHealthReport report, int statusCode = StatusCodes.Status200OK) =>
        TypedResults.Json(report, DurableJson.Options, contentType: null, statusCode: statusCode);
}

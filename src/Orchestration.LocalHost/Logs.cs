namespace Orchestration.LocalHost;

/// <summary>Log lines of the local host, source-generated, with stable event ids (2000–2999).</summary>
internal static partial class Logs
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Durable Task engine started: backend {Backend}, task hub {TaskHub}, sidecar {Address}, {Partitions} partitions")]
    public static partial void EngineStarted(ILogger logger, string backend, string taskHub, string address, int partitions);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Trace, Message = "Renewed the lock of activity work item {WorkItemId}")]
    public static partial void ActivityLockRenewed(ILogger logger, string workItemId);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Could not renew the lock of activity work item {WorkItemId}; it may run again")]
    public static partial void ActivityLockRenewalFailed(ILogger logger, Exception exception, string workItemId);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Warning, Message = "No API key configured (LocalHost:ApiKey); generated one for this run: {ApiKey}")]
    public static partial void ApiKeyGenerated(ILogger logger, string apiKey);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Information, Message = "Orchestration local host listening on {Urls}; send the key in the x-functions-key header or the code query parameter")]
    public static partial void Listening(ILogger logger, string urls);

    [LoggerMessage(EventId = 2020, Level = LogLevel.Information, Message = "Timer {Function} scheduled with '{Schedule}'; next run {Next:o}")]
    public static partial void TimerScheduled(ILogger logger, string function, string schedule, DateTime next);

    [LoggerMessage(EventId = 2021, Level = LogLevel.Error, Message = "Timer {Function} failed; it runs again at its next occurrence")]
    public static partial void TimerFailed(ILogger logger, Exception exception, string function);

    [LoggerMessage(EventId = 2030, Level = LogLevel.Information, Message = "Azurite started (data in {Location}): blob {BlobPort}, queue {QueuePort}, table {TablePort}. Connection string: {ConnectionString}")]
    public static partial void AzuriteStarted(ILogger logger, string location, int blobPort, int queuePort, int tablePort, string connectionString);

    [LoggerMessage(EventId = 2040, Level = LogLevel.Error, Message = "Unhandled error serving {Method} {Path}")]
    public static partial void UnhandledRequestError(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Blob watcher polling {Containers} every {IntervalSeconds} s; receipts in {ReceiptsContainer}/blobreceipts/{HostId}")]
    public static partial void BlobWatcherStarted(ILogger logger, string containers, double intervalSeconds, string receiptsContainer, string hostId);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Blob watcher cannot list container {Container}: {Error}; polling goes on and logs again once listing works")]
    public static partial void BlobListingFailed(ILogger logger, Exception exception, string container, string error);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Debug, Message = "Blob watcher still cannot reach container {Container}: {Error}")]
    public static partial void BlobListingStillFailing(ILogger logger, string container, string error);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Information, Message = "Blob watcher reaches storage again")]
    public static partial void BlobListingRecovered(ILogger logger);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Debug, Message = "Blob {Container}/{Name} (ETag {ETag}) has a receipt saying {Status}; skipped")]
    public static partial void BlobReceiptSettled(ILogger logger, string container, string name, string etag, string? status);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Debug, Message = "Blob {Container}/{Name} (ETag {ETag}) is being handled by another host (receipt leased); looking again next round")]
    public static partial void BlobReceiptLeased(ILogger logger, string container, string name, string etag);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Warning, Message = "Blob trigger {Function} failed for {Container}/{Name} (ETag {ETag}), attempt {Attempt} of {MaxAttempts}; retrying in {RetryDelaySeconds} s")]
    public static partial void BlobTriggerFailed(ILogger logger, Exception exception, string function, string container, string name, string etag, int attempt, int maxAttempts, double retryDelaySeconds);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Error, Message = "Blob trigger {Function} gave up on {Container}/{Name} (ETag {ETag}) after {Attempts} attempts and parked it in queue {PoisonQueue}: {Reason}")]
    public static partial void BlobPoisoned(ILogger logger, Exception? exception, string function, string container, string name, string etag, int attempts, string poisonQueue, string reason);

    [LoggerMessage(EventId = 2108, Level = LogLevel.Warning, Message = "Blob trigger {Function} could not read or write the receipt of {Container}/{Name} (ETag {ETag}); trying again next round")]
    public static partial void BlobReceiptFailed(ILogger logger, Exception? exception, string function, string container, string name, string etag);

    [LoggerMessage(EventId = 2109, Level = LogLevel.Debug, Message = "Could not release the receipt lease of {Container}/{Name} (ETag {ETag}); it lapses by itself")]
    public static partial void BlobReceiptReleaseFailed(ILogger logger, Exception exception, string container, string name, string etag);

    [LoggerMessage(EventId = 2110, Level = LogLevel.Warning, Message = "Blob watcher cannot list {Container}/{Name}: {Cause}. Every other blob is listed and processed; this one is parked in queue {PoisonQueue} (GET /api/blob-triggers/poison) until it is deleted or renamed")]
    public static partial void BlobUnlistable(ILogger logger, string container, string name, string cause, string poisonQueue);

    [LoggerMessage(EventId = 2111, Level = LogLevel.Information, Message = "Blob watcher lists container {Container} in full again (no unlistable blob left)")]
    public static partial void BlobListingWhole(ILogger logger, string container);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Extended session of instance {InstanceId} ended early; its messages will be processed again")]
    public static partial void ExtendedSessionFailed(ILogger logger, Exception exception, string instanceId);
}

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

    [LoggerMessage(EventId = 2030, Level = LogLevel.Information, Message = "Azurite started: blob {BlobPort}, queue {QueuePort}, table {TablePort}")]
    public static partial void AzuriteStarted(ILogger logger, int blobPort, int queuePort, int tablePort);

    [LoggerMessage(EventId = 2040, Level = LogLevel.Error, Message = "Unhandled error serving {Method} {Path}")]
    public static partial void UnhandledRequestError(ILogger logger, Exception exception, string method, string path);
}

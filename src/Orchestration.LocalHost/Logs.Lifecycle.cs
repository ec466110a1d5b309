namespace Orchestration.LocalHost;

/// <summary>Log lines of stopping, storage health and Azurite supervision (event ids 2200–2299).</summary>
internal static partial class Logs
{
    [LoggerMessage(EventId = 2202, Level = LogLevel.Warning, Message = "Could not abandon activity work item {WorkItemId} (storage unreachable?); forgotten by the backend: {Forgotten}. It runs again once its message is visible again")]
    public static partial void ActivityAbandonFailed(ILogger logger, Exception exception, string workItemId, bool forgotten);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Warning, Message = "Stopping {Part} did not finish within {Seconds} s or failed; going on with the shutdown")]
    public static partial void StopStepAbandoned(ILogger logger, Exception? exception, string part, double seconds);

    [LoggerMessage(EventId = 2210, Level = LogLevel.Warning, Message = "Storage is unreachable: {Reason}; /api/health answers 503 until it is back")]
    public static partial void StorageUnhealthy(ILogger logger, string reason);

    [LoggerMessage(EventId = 2211, Level = LogLevel.Information, Message = "Storage is reachable again")]
    public static partial void StorageHealthy(ILogger logger);

    [LoggerMessage(EventId = 2220, Level = LogLevel.Critical, Message = "Stopping the local host: {Reason}")]
    public static partial void StoppingBecauseAzuriteIsGone(ILogger logger, string reason);
}

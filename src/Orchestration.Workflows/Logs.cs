using Microsoft.Extensions.Logging;

namespace Orchestration.Workflows;

/// <summary>Every log line of the core, source-generated, with stable event ids (1000–1999).</summary>
internal static partial class Logs
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Orchestration {InstanceId} greeted {Count} names")]
    public static partial void SequenceCompleted(ILogger logger, string instanceId, int count);

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Started {Workflow} instance {InstanceId}")]
    public static partial void WorkflowStarted(ILogger logger, string workflow, string instanceId);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "{Operation} on instance {InstanceId}")]
    public static partial void InstanceOperation(ILogger logger, string operation, string instanceId);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Rejected request {Method} {Path}: {Status} {Detail}")]
    public static partial void RequestRejected(ILogger logger, string method, string path, int status, string detail);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Upload to {Container}/{Name} (stored: {Stored}) is {Workflow} instance {InstanceId}")]
    public static partial void UploadStarted(ILogger logger, string workflow, string container, string name, bool stored, string instanceId);

    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "Blob {Container}/{Name} (ETag {ETag}) started {Workflow} instance {InstanceId}")]
    public static partial void BlobStarted(ILogger logger, string container, string name, string eTag, string workflow, string instanceId);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Debug, Message = "Blob {Container}/{Name} (ETag {ETag}) already has instance {InstanceId}; nothing to do")]
    public static partial void BlobAlreadyStarted(ILogger logger, string container, string name, string eTag, string instanceId);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Daily fraud scan of {Day} started as {InstanceId}")]
    public static partial void DailyScanStarted(ILogger logger, string day, string instanceId);

    [LoggerMessage(EventId = 1400, Message = "libvips ({Domain}): {Message}")]
    public static partial void VipsMessage(ILogger logger, LogLevel level, string domain, string message);

    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "Housekeeping purged {Count} instances created before {Cutoff:o}")]
    public static partial void HousekeepingPurged(ILogger logger, int count, DateTimeOffset cutoff);
}

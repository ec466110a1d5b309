using Microsoft.Extensions.Logging;

namespace Orchestration.LocalHost.Azurite;

/// <summary>Source-generated log messages of the Azurite launcher (EventIds 9000–9099).</summary>
internal static partial class Logs
{
    [LoggerMessage(EventId = 9000, Level = LogLevel.Information,
        Message = "Starting Azurite {EntryPoint} on 127.0.0.1 ports blob {BlobPort}, queue {QueuePort}, table {TablePort} (in-memory: {InMemory}, attempt {Attempt} of {MaxAttempts})")]
    public static partial void AzuriteStarting(ILogger logger, string entryPoint, int blobPort, int queuePort, int tablePort, bool inMemory, int attempt, int maxAttempts);

    [LoggerMessage(EventId = 9001, Level = LogLevel.Information,
        Message = "Azurite (pid {ProcessId}) is ready after {ElapsedMilliseconds} ms: blob {BlobPort}, queue {QueuePort}, table {TablePort}")]
    public static partial void AzuriteReady(ILogger logger, int processId, long elapsedMilliseconds, int blobPort, int queuePort, int tablePort);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Debug, Message = "Azurite: {Line}")]
    public static partial void AzuriteOutput(ILogger logger, string line);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Debug, Message = "Azurite (stderr): {Line}")]
    public static partial void AzuriteErrorOutput(ILogger logger, string line);

    [LoggerMessage(EventId = 9004, Level = LogLevel.Warning,
        Message = "Azurite exited during start-up with code {ExitCode} (attempt {Attempt} of {MaxAttempts}); retrying on new ports. Output: {OutputTail}")]
    public static partial void AzuriteExitedEarly(ILogger logger, int exitCode, int attempt, int maxAttempts, string outputTail);

    [LoggerMessage(EventId = 9005, Level = LogLevel.Debug, Message = "Stopping Azurite (pid {ProcessId})")]
    public static partial void AzuriteStopping(ILogger logger, int processId);

    [LoggerMessage(EventId = 9006, Level = LogLevel.Warning,
        Message = "Azurite (pid {ProcessId}) did not exit within {TimeoutMilliseconds} ms of SIGTERM; killing it")]
    public static partial void AzuriteKilling(ILogger logger, int processId, long timeoutMilliseconds);

    [LoggerMessage(EventId = 9007, Level = LogLevel.Information, Message = "Azurite (pid {ProcessId}) stopped")]
    public static partial void AzuriteStopped(ILogger logger, int processId);

    [LoggerMessage(EventId = 9008, Level = LogLevel.Warning, Message = "Stopping Azurite (pid {ProcessId}) failed")]
    public static partial void AzuriteStopFailed(ILogger logger, Exception exception, int processId);

    [LoggerMessage(EventId = 9009, Level = LogLevel.Debug, Message = "Using Azurite from repository root {RepositoryRoot}")]
    public static partial void AzuriteRootResolved(ILogger logger, string repositoryRoot);

    [LoggerMessage(EventId = 9010, Level = LogLevel.Error,
        Message = "Azurite (pid {ProcessId}) exited unexpectedly with code {ExitCode}. Output: {OutputTail}")]
    public static partial void AzuriteExitedUnexpectedly(ILogger logger, int processId, int exitCode, string outputTail);

    [LoggerMessage(EventId = 9011, Level = LogLevel.Warning,
        Message = "Restarting Azurite on the same ports (blob {BlobPort}, queue {QueuePort}, table {TablePort}) with the same data, attempt {Attempt} of {MaxAttempts}")]
    public static partial void AzuriteRestarting(ILogger logger, int blobPort, int queuePort, int tablePort, int attempt, int maxAttempts);

    [LoggerMessage(EventId = 9012, Level = LogLevel.Warning, Message = "Azurite restart attempt {Attempt} failed: {Reason}")]
    public static partial void AzuriteRestartFailed(ILogger logger, int attempt, string reason);

    [LoggerMessage(EventId = 9013, Level = LogLevel.Warning, Message = "Azurite is back (pid {ProcessId}) with the same data and ports")]
    public static partial void AzuriteRestarted(ILogger logger, int processId);
}

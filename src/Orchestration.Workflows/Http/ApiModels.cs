using System.Text.Json;
using Microsoft.DurableTask.Client;

namespace Orchestration.Workflows.Http;

/// <summary>
/// The Durable Functions check-status payload, plus <c>restartPostUri</c> (which the isolated model leaves out).
/// Placeholders in braces (<c>{eventName}</c>, <c>{text}</c>) are for the caller to fill in, as in Durable Functions.
/// </summary>
public sealed record CheckStatusPayload(
    string Id,
    string StatusQueryGetUri,
    string SendEventPostUri,
    string TerminatePostUri,
    string PurgeHistoryDeleteUri,
    string SuspendPostUri,
    string ResumePostUri,
    string RestartPostUri);

/// <summary>An instance as the API shows it. Input, output and custom status are the orchestration's own JSON.</summary>
public sealed record InstanceStatus(
    string InstanceId,
    string Name,
    string? Workflow,
    OrchestrationRuntimeStatus RuntimeStatus,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    JsonElement? CustomStatus,
    JsonElement? Input,
    JsonElement? Output,
    FailureInfo? FailureDetails,
    IReadOnlyList<JsonElement>? History);

/// <summary>
/// Why an instance failed: the real exception type and message, and the inner failure if any. Never the stack trace:
/// frames and build paths are for the log (the engine keeps them with the instance), not for API callers.
/// </summary>
public sealed record FailureInfo(string ErrorType, string ErrorMessage, FailureInfo? InnerFailure);

/// <summary>One page of instances; pass <see cref="ContinuationToken"/> back to get the next page (null: no more).</summary>
public sealed record InstancePage(IReadOnlyList<InstanceStatus> Instances, string? ContinuationToken);

public sealed record PurgeSummary(int InstancesDeleted);

public sealed record WorkflowInfo(string Name, string Orchestrator, string Description, bool InputRequired, string StartUri);

public sealed record HealthReport(string Status, DateTimeOffset Time);

/// <summary>A blob its trigger gave up on after five failures, and why.</summary>
public sealed record PoisonBlob(string? FunctionId, string? ContainerName, string? BlobName, string? ETag, string? Reason, DateTimeOffset? InsertedOn);

using Azure;
using Microsoft.DurableTask;

namespace Orchestration.Workflows.Durable;

/// <summary>Retry policies shared by every orchestrator, so a transient storage fault never fails a workflow.</summary>
public static class TaskDefaults
{
    /// <summary>
    /// For activities that touch storage: up to 5 attempts with exponential back-off (1 s, 2 s, 4 s, 8 s),
    /// and only for failures that a retry can fix (storage/network faults and timeouts), never for bad input.
    /// </summary>
    public static TaskOptions Storage { get; } = StorageRetrying(IsTransient);

    /// <summary>
    /// <see cref="Storage"/>'s attempts and back-off for an activity that knows more failures worth a retry:
    /// <paramref name="handleFailure"/> decides (it should include <see cref="IsTransient"/>; never bad input).
    /// </summary>
    public static TaskOptions StorageRetrying(Func<TaskFailureDetails, bool> handleFailure) => TaskOptions.FromRetryPolicy(
        new RetryPolicy(
            maxNumberOfAttempts: 5,
            firstRetryInterval: TimeSpan.FromSeconds(1),
            backoffCoefficient: 2,
            maxRetryInterval: TimeSpan.FromSeconds(30),
            retryTimeout: TimeSpan.FromMinutes(5))
        {
            HandleFailure = handleFailure,
        });

    /// <summary>For pure, in-memory activities: a couple of quick retries covers a worker that died mid-call.</summary>
    public static TaskOptions Compute { get; } = TaskOptions.FromRetryPolicy(
        new RetryPolicy(
            maxNumberOfAttempts: 3,
            firstRetryInterval: TimeSpan.FromMilliseconds(500),
            backoffCoefficient: 2,
            maxRetryInterval: TimeSpan.FromSeconds(5))
        {
            HandleFailure = IsTransient,
        });

    /// <summary>
    /// Whether a failure is worth retrying: storage and network faults, timeouts, and what an activity marks as
    /// <see cref="TransientFailureException"/>. Activities turn storage client errors (4xx: not found, forbidden)
    /// into non-transient exceptions before they get here, so a missing blob is not retried five times.
    /// </summary>
    public static bool IsTransient(TaskFailureDetails failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return TransientTypes.Any(type => IsCausedBy(failure, type));
    }

    static readonly Type[] TransientTypes =
    [
        typeof(RequestFailedException),
        typeof(IOException),
        typeof(TimeoutException),
        typeof(HttpRequestException),
        typeof(System.Net.Sockets.SocketException),
        typeof(TransientFailureException),
    ];

    /// <summary>
    /// <see cref="TaskFailureDetails.IsCausedBy(Type)"/> resolves the failure's type name across the loaded assemblies and
    /// throws <see cref="System.Reflection.AmbiguousMatchException"/> for types a facade also forwards (HttpRequestException
    /// via netstandard); then the exact type name decides.
    /// </summary>
    static bool IsCausedBy(TaskFailureDetails failure, Type type)
    {
        try
        {
            return failure.IsCausedBy(type);
        }
        catch (System.Reflection.AmbiguousMatchException)
        {
            return string.Equals(failure.ErrorType, type.FullName, StringComparison.Ordinal);
        }
    }
}

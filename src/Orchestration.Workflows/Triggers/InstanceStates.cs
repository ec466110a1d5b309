using Microsoft.DurableTask.Client;

namespace Orchestration.Workflows.Triggers;

/// <summary>Runtime-status helpers shared by the starters and the HTTP API.</summary>
public static class InstanceStates
{
    /// <summary>Every status: with these as dedupe statuses an existing instance id is never overwritten.</summary>
    public static IReadOnlyList<string> AllStatusNames { get; } = Enum.GetNames<OrchestrationRuntimeStatus>();

    /// <summary>Statuses in which an instance is still alive: starting it again must be refused.</summary>
    public static IReadOnlyList<string> ActiveStatusNames { get; } =
        [nameof(OrchestrationRuntimeStatus.Pending), nameof(OrchestrationRuntimeStatus.Running), nameof(OrchestrationRuntimeStatus.Suspended)];

    public static bool IsTerminal(OrchestrationRuntimeStatus status) => status is
        OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;

    /// <summary>
    /// Whether a start failed because the instance id is taken. Over gRPC (both hosts) this arrives as an RpcException
    /// with status AlreadyExists; matched by name so the core needs no gRPC dependency.
    /// </summary>
    public static bool IsAlreadyExists(Exception ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return ex.GetType().Name is "RpcException" or "OrchestrationAlreadyExistsException"
            && (ex.Message.Contains("AlreadyExists", StringComparison.Ordinal)
                || ex.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase));
    }
}

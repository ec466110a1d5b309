namespace Orchestration.Workflows.Storage;

/// <summary>
/// An input that names the container a workflow reads. The API starts it only when that container is on the workflow's
/// allow-list (Http.ContainerPolicy): a key to the API is not a key to every container of the account.
/// </summary>
public interface IReadsContainer
{
    string Container { get; }
}

/// <summary>The containers the Functions host keeps for itself (keys, leases, receipts, logs): never a workflow's input.</summary>
public static class HostContainers
{
    public static bool Includes(string container)
    {
        ArgumentNullException.ThrowIfNull(container);
        return container.StartsWith("azure-webjobs-", StringComparison.Ordinal) || container.StartsWith("azure-functions-", StringComparison.Ordinal);
    }
}

using Orchestration.Workflows.Storage;

namespace Orchestration.Workflows.Http;

/// <summary>
/// The containers a request may name as <paramref name="Workflow"/>'s input (<see cref="IReadsContainer"/>): from its
/// workflow.json (<c>containers.sources</c>) or, for the blob-digest sample, its own input container. Anything else,
/// the host's <c>azure-webjobs-hosts</c> included, is refused with a 422 naming these.
/// </summary>
public sealed record ContainerPolicy(string Workflow, IReadOnlyList<string> Allowed)
{
    /// <summary>Null when <paramref name="input"/> names no container or an allowed one; otherwise the error for the 422.</summary>
    public static string? Problem(string workflow, object? input, IEnumerable<ContainerPolicy> policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        if (input is not IReadsContainer { Container: string container })
        {
            return null;
        }

        IReadOnlyList<string> allowed = policies.FirstOrDefault(p => p.Workflow == workflow)?.Allowed ?? [];
        return allowed.Contains(container, StringComparer.Ordinal) && !HostContainers.Includes(container)
            ? null
            : $"container: '{container}' is not a container {workflow} may read; use {(allowed.Count == 0 ? "none (no container is allowed)" : string.Join(" or ", allowed))}.";
    }
}

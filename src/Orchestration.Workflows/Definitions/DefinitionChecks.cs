using System.Globalization;
using System.Text.RegularExpressions;

namespace Orchestration.Workflows.Definitions;

/// <summary>Checks more than one workflow's validator makes, with the same wording everywhere.</summary>
public static partial class DefinitionChecks
{
    /// <summary>A value as the messages show it: invariant culture.</summary>
    public static string Show<T>(T value)
        where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);

    /// <summary>
    /// Each container is a valid Azure container name and none is used twice.
    /// <paramref name="distinctHint"/> ends the "used twice" message: <c>input, output and rejected must be three different containers</c>.
    /// </summary>
    public static void CheckContainers(IReadOnlyList<(string Field, string? Name)> containers, string distinctHint, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(containers);
        ArgumentNullException.ThrowIfNull(errors);
        for (int i = 0; i < containers.Count; i++)
        {
            (string field, string? name) = containers[i];
            if (name is null || !ContainerName().IsMatch(name))
            {
                errors.Add($"{field}: must be a valid Azure container name: 3 to 63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit (was '{name}')");
                continue;
            }

            for (int j = 0; j < i; j++)
            {
                if (string.Equals(name, containers[j].Name, StringComparison.Ordinal))
                {
                    errors.Add($"{field}: '{name}' is also {containers[j].Field}; {distinctHint}");
                    break;
                }
            }
        }
    }

    /// <summary>
    /// <c>containers.sources</c>, the containers a request may name as its input: at least one, each a valid name listed
    /// once, none of the workflow's own outputs (<paramref name="outputs"/>; one that is also the <paramref name="input"/>
    /// is already reported as a duplicate) and none of the host's own containers.
    /// </summary>
    public static void CheckSources(IReadOnlyList<string>? sources, IReadOnlyList<(string Field, string? Name)> outputs, string? input, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(errors);
        if (sources is not { Count: > 0 })
        {
            errors.Add("containers.sources: list at least one container a request may name as its input (e.g. the input container)");
            return;
        }

        for (int i = 0; i < sources.Count; i++)
        {
            string? name = sources[i];
            string field = $"containers.sources[{i}]";
            if (name is null || !ContainerName().IsMatch(name))
            {
                errors.Add($"{field}: must be a valid Azure container name (was '{name}')");
            }
            else if (Storage.HostContainers.Includes(name))
            {
                errors.Add($"{field}: '{name}' belongs to the Functions host (keys, leases, receipts); never list it");
            }
            else if (!string.Equals(name, input, StringComparison.Ordinal)
                && outputs.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.Ordinal)) is { Field: { } output })
            {
                errors.Add($"{field}: '{name}' is {output}, where the workflow writes; list only containers it reads");
            }
            else if (sources.Take(i).Contains(name, StringComparer.Ordinal))
            {
                errors.Add($"{field}: '{name}' is listed twice");
            }
        }
    }

    /// <summary>Whether <paramref name="name"/> is a valid Azure Blob container name.</summary>
    public static bool IsContainerName(string name) => ContainerName().IsMatch(name);

    /// <summary>Azure Blob container names: 3–63 characters, lowercase letters, digits and single hyphens between them.</summary>
    [GeneratedRegex("^(?=.{3,63}$)[a-z0-9]+(?:-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex ContainerName();
}

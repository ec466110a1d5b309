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

    /// <summary>Whether <paramref name="name"/> is a valid Azure Blob container name.</summary>
    public static bool IsContainerName(string name) => ContainerName().IsMatch(name);

    /// <summary>Azure Blob container names: 3–63 characters, lowercase letters, digits and single hyphens between them.</summary>
    [GeneratedRegex("^(?=.{3,63}$)[a-z0-9]+(?:-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex ContainerName();
}

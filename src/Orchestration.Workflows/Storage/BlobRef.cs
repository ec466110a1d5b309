using Orchestration.Workflows.Durable;

namespace Orchestration.Workflows.Storage;

/// <summary>A reference to one version of a blob: what orchestrations pass around instead of bytes.</summary>
public sealed record BlobRef(string Container, string Name, string? ETag = null) : IValidatableInput, IReadsContainer
{
    /// <summary>Azure's limit on blob names.</summary>
    public const int MaxNameLength = 1024;

    public IEnumerable<string> Validate()
    {
        if (!IsValidContainerName(Container))
        {
            yield return "container: required; 3 to 63 characters of lowercase letters, digits and single hyphens.";
        }

        if (BlobNames.Problem(Name) is { } problem)
        {
            yield return $"name: {problem}; {BlobNames.Rule}.";
        }
    }

    public override string ToString() => $"{Container}/{Name}";

    /// <summary>Conditions that pin a request to exactly this version (If-Match its ETag); none when no ETag is known.</summary>
    public Azure.Storage.Blobs.Models.BlobRequestConditions? VersionConditions() =>
        ETag is null ? null : new Azure.Storage.Blobs.Models.BlobRequestConditions { IfMatch = new Azure.ETag(ETag) };

    /// <summary>
    /// Listings may return the ETag bare (Azure does) where blob properties return it quoted (as HTTP does): use the
    /// quoted form throughout, so instance ids derived from it and If-Match agree whichever call found the version.
    /// </summary>
    public static string QuotedETag(Azure.ETag etag)
    {
        string value = etag.ToString();
        return value.StartsWith('"') || value.StartsWith("W/\"", StringComparison.Ordinal) ? value : $"\"{value}\"";
    }

    /// <summary>Azure container naming rules.</summary>
    public static bool IsValidContainerName(string? container) =>
        container is { Length: >= 3 and <= 63 }
        && container.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
        && container[0] != '-' && container[^1] != '-'
        && !container.Contains("--", StringComparison.Ordinal);
}

using Orchestration.Workflows.Storage;

namespace Orchestration.Workflows.ImagePipeline;

/// <summary>Deterministic output names: a re-run overwrites the same blobs instead of adding new ones.</summary>
public static class ImagePaths
{
    public const string ManifestName = "manifest.json";
    public const string ReasonSuffix = ".reason.json";

    /// <summary>Room left after a stem for <c>/{profile}.{ext}</c> and <c>/manifest.json</c> (profile names are short).</summary>
    const int MaxStemLength = BlobRef.MaxNameLength - 100;

    /// <summary>
    /// The source name without its extension, made safe: <c>\</c> read as <c>/</c>; empty, <c>.</c> and <c>..</c> segments
    /// dropped (no output can land outside its stem); <c>_</c> when nothing is left. Stems too long for the output names
    /// become <c>~long/{SHA-256 of the name}</c> (the full name is in the manifest).
    /// Different extensions of one name (<c>a.jpg</c>, <c>a.png</c>) share a stem, as the layout implies.
    /// </summary>
    public static string Stem(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string[] segments = name.Replace('\\', '/')
            .Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Where(s => s is not "." and not "..")
            .ToArray();
        if (segments.Length > 0)
        {
            string last = segments[^1];
            int dot = last.LastIndexOf('.');
            if (dot > 0)
            {
                segments[^1] = last[..dot];
            }
        }

        string stem = string.Join('/', segments.Select(s => s.TrimEnd('.')).Where(s => s.Length > 0));
        if (stem.Length == 0)
        {
            return "_";
        }

        return stem.Length <= MaxStemLength ? stem : $"~long/{BlobNames.Hash(name)}";
    }

    public static string VariantName(string stem, string profile, string extension) => $"{stem}/{profile}.{extension}";

    public static string ManifestBlobName(string stem) => $"{stem}/{ManifestName}";

    /// <summary><c>{name}.reason.json</c>, or <c>~long/{SHA-256 of the name}.reason.json</c> when that would pass Azure's limit.</summary>
    public static string ReasonName(string sourceName) => BlobNames.WithSuffix(sourceName, ReasonSuffix);
}

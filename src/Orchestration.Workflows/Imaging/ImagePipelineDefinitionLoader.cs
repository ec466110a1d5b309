using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Orchestration.Workflows.Durable;

namespace Orchestration.Workflows.Imaging;

/// <summary>
/// Reads <c>workflows/image-pipeline/workflow.json</c> with the <see cref="DurableJson"/> conventions (camelCase,
/// case-insensitive, enums as strings), stricter: unknown fields and nulls in non-nullable fields are errors; comments and
/// trailing commas are allowed. Then applies <see cref="ImagePipelineDefinitionValidator"/>. Any problem throws
/// <see cref="ImagePipelineDefinitionException"/> naming the file and every bad field by JSON path.
/// </summary>
public static partial class ImagePipelineDefinitionLoader
{
    /// <summary>Where the definition is copied next to the built assemblies of both hosts.</summary>
    public static string DefaultPath { get; } = Path.Combine(AppContext.BaseDirectory, "workflows", "image-pipeline", "workflow.json");

    /// <summary>Where the watermark fonts are copied next to the built assemblies.</summary>
    public static string FontsDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "assets", "fonts");

    /// <summary>The options used to read the definition.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Whether <paramref name="font"/> exists in <see cref="FontsDirectory"/>.</summary>
    public static bool FontExistsNextToAssembly(string font) => File.Exists(Path.Combine(FontsDirectory, font));

    /// <summary>Reads and validates the definition at <paramref name="path"/>.</summary>
    /// <param name="fontExists">Whether a font file name exists; <see cref="FontExistsNextToAssembly"/> when null.</param>
    public static ImagePipelineDefinition Load(string path, Func<string, bool>? fontExists = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"The image pipeline definition '{fullPath}' does not exist.", fullPath);
        }

        return Parse(File.ReadAllText(fullPath), fullPath, fontExists);
    }

    /// <summary>Parses and validates a definition; <paramref name="source"/> names it in error messages (a file path, usually).</summary>
    /// <param name="fontExists">Whether a font file name exists; <see cref="FontExistsNextToAssembly"/> when null.</param>
    public static ImagePipelineDefinition Parse(string json, string source, Func<string, bool>? fontExists = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);

        ImagePipelineDefinition? definition;
        try
        {
            definition = JsonSerializer.Deserialize<ImagePipelineDefinition>(json, Options);
        }
        catch (JsonException e)
        {
            throw new ImagePipelineDefinitionException(source, [Describe(e)], e);
        }

        if (definition is null)
        {
            throw new ImagePipelineDefinitionException(source, ["$: must be an object, not null"]);
        }

        IReadOnlyList<string> errors = ImagePipelineDefinitionValidator.Validate(definition, fontExists ?? FontExistsNextToAssembly);
        return errors.Count == 0 ? definition : throw new ImagePipelineDefinitionException(source, errors);
    }

    static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(DurableJson.Options)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectNullableAnnotations = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary><c>path: reason (line L, position P)</c>, with 1-based line and position.</summary>
    static string Describe(JsonException e)
    {
        string path = Relative(e.Path);
        string reason = StripLocation(e.Message);
        Match unmapped = UnmappedMember().Match(reason);
        if (unmapped.Success)
        {
            string property = unmapped.Groups["property"].Value;
            reason = $"unknown property '{property}'" + KnownProperties(unmapped.Groups["type"].Value);
            if (!path.EndsWith(property, StringComparison.Ordinal))
            {
                path = path == "$" ? property : $"{path}.{property}";
            }
        }
        else if (NotConvertible().Match(reason) is { Success: true } notConvertible && FindType(notConvertible.Groups["type"].Value) is { IsEnum: true } enumType)
        {
            reason = $"must be one of {string.Join(", ", Enum.GetNames(enumType))}";
        }

        string location = e.LineNumber is long line ? $" (line {line + 1}, position {(e.BytePositionInLine ?? 0) + 1})" : string.Empty;
        return $"{path}: {reason}{location}";
    }

    static string Relative(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "$" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    static string StripLocation(string message)
    {
        int at = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (at < 0)
        {
            at = message.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        }

        return at < 0 ? message : message[..at];
    }

    static string KnownProperties(string typeName)
    {
        Type? type = FindType(typeName);
        if (type is null)
        {
            return string.Empty;
        }

        JsonTypeInfo info = Options.GetTypeInfo(type);
        return info.Properties.Count == 0 ? string.Empty : $" (known: {string.Join(", ", info.Properties.Select(p => p.Name))})";
    }

    static Type? FindType(string fullName) => typeof(ImagePipelineDefinition).Assembly.GetType(fullName, throwOnError: false);

    [GeneratedRegex(@"^The JSON property '(?<property>.+)' could not be mapped to any \.NET member contained in type '(?<type>[^']+)'\.", RegexOptions.CultureInvariant)]
    private static partial Regex UnmappedMember();

    [GeneratedRegex(@"could not be converted to (?<type>[\w.]+)\.", RegexOptions.CultureInvariant)]
    private static partial Regex NotConvertible();
}

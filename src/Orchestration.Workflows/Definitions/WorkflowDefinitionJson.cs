using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Orchestration.Workflows.Durable;

namespace Orchestration.Workflows.Definitions;

/// <summary>
/// How every <c>workflows/*/workflow.json</c> is read: the <see cref="DurableJson"/> conventions (camelCase,
/// case-insensitive, enums as strings), stricter — unknown fields and nulls in non-nullable fields are errors; comments
/// and trailing commas are allowed — then the workflow's own validator. Every problem becomes one
/// <c>json.path: what is wrong</c> line in the workflow's <see cref="WorkflowDefinitionException"/>.
/// </summary>
public static partial class WorkflowDefinitionJson
{
    /// <summary>The options used to read every definition.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>The text of the definition at <paramref name="path"/>, and its full path (for messages).</summary>
    /// <param name="kind">What the file is, for the not-found message: <c>image pipeline definition</c>.</param>
    public static (string Json, string FullPath) ReadFile(string path, string kind)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string fullPath = Path.GetFullPath(path);
        return File.Exists(fullPath)
            ? (File.ReadAllText(fullPath), fullPath)
            : throw new FileNotFoundException($"The {kind} '{fullPath}' does not exist.", fullPath);
    }

    /// <summary>Deserializes and validates a definition; <paramref name="fail"/> makes the workflow's exception from the errors.</summary>
    /// <param name="validate">Every rule violation of a deserialized definition, empty when it is valid.</param>
    /// <param name="fail">The exception to throw for the errors (and the <see cref="JsonException"/> behind them, if any).</param>
    public static T Parse<T>(string json, Func<T, IReadOnlyList<string>> validate, Func<IReadOnlyList<string>, Exception?, WorkflowDefinitionException> fail)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(validate);
        ArgumentNullException.ThrowIfNull(fail);

        T? definition;
        try
        {
            definition = JsonSerializer.Deserialize<T>(json, Options);
        }
        catch (JsonException e)
        {
            throw fail([Describe(e)], e);
        }

        if (definition is null)
        {
            throw fail(["$: must be an object, not null"], null);
        }

        IReadOnlyList<string> errors = validate(definition);
        return errors.Count == 0 ? definition : throw fail(errors, null);
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

    /// <summary>The definitions' types all live in this assembly.</summary>
    static Type? FindType(string fullName) => typeof(WorkflowDefinitionJson).Assembly.GetType(fullName, throwOnError: false);

    [GeneratedRegex(@"^The JSON property '(?<property>.+)' could not be mapped to any \.NET member contained in type '(?<type>[^']+)'\.", RegexOptions.CultureInvariant)]
    private static partial Regex UnmappedMember();

    [GeneratedRegex(@"could not be converted to (?<type>[\w.]+)\.", RegexOptions.CultureInvariant)]
    private static partial Regex NotConvertible();
}

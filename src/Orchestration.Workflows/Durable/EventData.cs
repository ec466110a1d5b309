using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Orchestration.Workflows.Durable;

/// <summary>
/// Reads an external event's data into the type a workflow declares for it, strictly (a JSON object, no unknown fields,
/// then <see cref="IValidatableInput"/>). The API refuses a bad payload with the reason; an orchestrator that receives
/// one anyway (from another client of the task hub) gets the same reason instead of an exception that would fail it.
/// </summary>
public static class EventData
{
    static readonly JsonSerializerOptions Strict = new(DurableJson.Options)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>What is wrong with <paramref name="data"/> as a <paramref name="type"/>, or null when it reads and validates.</summary>
    public static string? Problem(Type type, JsonElement? data) => Read(type, data, out _);

    public static bool TryRead<T>(JsonElement? data, [NotNullWhen(true)] out T? value, [NotNullWhen(false)] out string? problem)
        where T : class
    {
        problem = Read(typeof(T), data, out object? read);
        value = read as T;
        return problem is null && value is not null;
    }

    static string? Read(Type type, JsonElement? data, out object? value)
    {
        value = null;
        if (data is not { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } element)
        {
            return "the event has no data (null); send a JSON object.";
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return $"the event's data is a JSON {element.ValueKind.ToString().ToLowerInvariant()}; send a JSON object.";
        }

        try
        {
            value = element.Deserialize(type, Strict);
        }
        catch (JsonException ex)
        {
            int cut = ex.Message.IndexOf(". Path:", StringComparison.Ordinal);
            string reason = ex.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)
                ? "a value of the wrong type"
                : cut > 0 ? ex.Message[..cut] : ex.Message;
            return string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? $"{reason}." : $"{ex.Path[2..]}: {reason}.";
        }

        if (value is IValidatableInput validatable && validatable.Validate().ToList() is { Count: > 0 } errors)
        {
            value = null;
            return string.Join(" ", errors);
        }

        return value is null ? "the event has no data (null); send a JSON object." : null;
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchestration.Workflows.Durable;

/// <summary>
/// The one JSON shape used for orchestration inputs, outputs, custom status and the HTTP API, in both hosts:
/// camelCase, case-insensitive, enums as strings.
/// </summary>
public static class DurableJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

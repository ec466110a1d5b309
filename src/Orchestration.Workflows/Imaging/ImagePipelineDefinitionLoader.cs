using System.Text.Json;
using Orchestration.Workflows.Definitions;

namespace Orchestration.Workflows.Imaging;

/// <summary>
/// Reads <c>workflows/image-pipeline/workflow.json</c> the way every definition is read (<see cref="WorkflowDefinitionJson"/>:
/// strict JSON, errors by JSON path), then applies <see cref="ImagePipelineDefinitionValidator"/>. Any problem throws
/// <see cref="ImagePipelineDefinitionException"/> naming the file and every bad field by JSON path.
/// </summary>
public static class ImagePipelineDefinitionLoader
{
    /// <summary>Where the definition is copied next to the built assemblies of both hosts.</summary>
    public static string DefaultPath { get; } = Path.Combine(AppContext.BaseDirectory, "workflows", "image-pipeline", "workflow.json");

    /// <summary>Where the watermark fonts are copied next to the built assemblies.</summary>
    public static string FontsDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "assets", "fonts");

    /// <summary>The options used to read the definition.</summary>
    public static JsonSerializerOptions Options => WorkflowDefinitionJson.Options;

    /// <summary>Whether <paramref name="font"/> exists in <see cref="FontsDirectory"/>.</summary>
    public static bool FontExistsNextToAssembly(string font) => File.Exists(Path.Combine(FontsDirectory, font));

    /// <summary>Reads and validates the definition at <paramref name="path"/>.</summary>
    /// <param name="fontExists">Whether a font file name exists; <see cref="FontExistsNextToAssembly"/> when null.</param>
    public static ImagePipelineDefinition Load(string path, Func<string, bool>? fontExists = null)
    {
        (string json, string fullPath) = WorkflowDefinitionJson.ReadFile(path, "image pipeline definition");
        return Parse(json, fullPath, fontExists);
    }

    /// <summary>Parses and validates a definition; <paramref name="source"/> names it in error messages (a file path, usually).</summary>
    /// <param name="fontExists">Whether a font file name exists; <see cref="FontExistsNextToAssembly"/> when null.</param>
    public static ImagePipelineDefinition Parse(string json, string source, Func<string, bool>? fontExists = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        Func<string, bool> fonts = fontExists ?? FontExistsNextToAssembly;
        return WorkflowDefinitionJson.Parse<ImagePipelineDefinition>(
            json,
            definition => ImagePipelineDefinitionValidator.Validate(definition, fonts),
            (errors, inner) => new ImagePipelineDefinitionException(source, errors, inner));
    }
}

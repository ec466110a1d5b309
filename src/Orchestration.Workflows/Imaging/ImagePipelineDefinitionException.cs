namespace Orchestration.Workflows.Imaging;

/// <summary>
/// <c>workflow.json</c> of the image pipeline cannot be used: malformed JSON, an unknown field, or values that break
/// the rules. <see cref="Errors"/> lists every problem, each starting with the field's JSON path
/// (<c>profiles[2].width: must be 1 to 16384 (was 0)</c>).
/// </summary>
public sealed class ImagePipelineDefinitionException : Exception
{
    public ImagePipelineDefinitionException()
        : this("the image pipeline definition", [])
    {
    }

    public ImagePipelineDefinitionException(string message)
        : base(message)
    {
        DefinitionSource = string.Empty;
        Errors = [message];
    }

    public ImagePipelineDefinitionException(string message, Exception innerException)
        : base(message, innerException)
    {
        DefinitionSource = string.Empty;
        Errors = [message];
    }

    public ImagePipelineDefinitionException(string definitionSource, IReadOnlyList<string> errors, Exception? innerException = null)
        : base(Describe(definitionSource, errors), innerException)
    {
        DefinitionSource = definitionSource;
        Errors = errors;
    }

    /// <summary>Where the definition came from (its file path, usually).</summary>
    public string DefinitionSource { get; }

    /// <summary>Every problem found, each as <c>json.path: what is wrong (was value)</c>.</summary>
    public IReadOnlyList<string> Errors { get; }

    static string Describe(string source, IReadOnlyList<string> errors) =>
        errors.Count == 1
            ? $"{source} is not a valid image pipeline definition: {errors[0]}"
            : $"{source} is not a valid image pipeline definition ({errors.Count} errors):{Environment.NewLine}"
              + string.Join(Environment.NewLine, errors.Select(e => "  - " + e));
}

using Orchestration.Workflows.Definitions;

namespace Orchestration.Workflows.Imaging;

/// <summary>
/// <c>workflow.json</c> of the image pipeline cannot be used: malformed JSON, an unknown field, or values that break
/// the rules. <see cref="WorkflowDefinitionException.Errors"/> lists every problem, each starting with the field's JSON path
/// (<c>profiles[2].width: must be 1 to 16384 (was 0)</c>).
/// </summary>
public sealed class ImagePipelineDefinitionException : WorkflowDefinitionException
{
    public ImagePipelineDefinitionException()
        : this("the image pipeline definition", [])
    {
    }

    public ImagePipelineDefinitionException(string message)
        : base(message)
    {
    }

    public ImagePipelineDefinitionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ImagePipelineDefinitionException(string definitionSource, IReadOnlyList<string> errors, Exception? innerException = null)
        : base(definitionSource, "image pipeline definition", errors, innerException)
    {
    }
}

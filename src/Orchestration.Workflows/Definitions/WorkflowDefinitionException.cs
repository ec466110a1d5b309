namespace Orchestration.Workflows.Definitions;

/// <summary>
/// A workflow's <c>workflow.json</c> cannot be used: malformed JSON, an unknown field, or values that break the rules.
/// <see cref="Errors"/> lists every problem, each starting with the field's JSON path
/// (<c>profiles[2].width: must be 1 to 16384 (was 0)</c>). Each workflow throws its own subclass.
/// </summary>
public abstract class WorkflowDefinitionException : Exception
{
    protected WorkflowDefinitionException()
        : this("the workflow definition", "a workflow definition", [])
    {
    }

    protected WorkflowDefinitionException(string message)
        : this(message, innerException: null)
    {
    }

    protected WorkflowDefinitionException(string message, Exception? innerException)
        : base(message, innerException)
    {
        DefinitionSource = string.Empty;
        Errors = [message];
    }

    /// <param name="definitionSource">Where the definition came from (its file path, usually).</param>
    /// <param name="kind">What it should have been, for the message: <c>an image pipeline definition</c>.</param>
    /// <param name="errors">Every problem found, each as <c>json.path: what is wrong (was value)</c>.</param>
    protected WorkflowDefinitionException(string definitionSource, string kind, IReadOnlyList<string> errors, Exception? innerException = null)
        : base(Describe(definitionSource, kind, errors), innerException)
    {
        DefinitionSource = definitionSource;
        Errors = errors;
    }

    /// <summary>Where the definition came from (its file path, usually).</summary>
    public string DefinitionSource { get; }

    /// <summary>Every problem found, each as <c>json.path: what is wrong (was value)</c>.</summary>
    public IReadOnlyList<string> Errors { get; }

    static string Describe(string source, string kind, IReadOnlyList<string> errors) =>
        errors.Count == 1
            ? $"{source} is not a valid {kind}: {errors[0]}"
            : $"{source} is not a valid {kind} ({errors.Count} errors):{Environment.NewLine}"
              + string.Join(Environment.NewLine, errors.Select(e => "  - " + e));
}

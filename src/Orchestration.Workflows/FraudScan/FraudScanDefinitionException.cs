using Orchestration.Workflows.Definitions;

namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// <c>workflow.json</c> of the fraud scan cannot be used: malformed JSON, an unknown field, or values that break the rules.
/// <see cref="WorkflowDefinitionException.Errors"/> lists every problem, each starting with the field's JSON path
/// (<c>rules.spoofing.minCancelRatio: must be more than 0 and at most 1 (was 1.5)</c>).
/// </summary>
public sealed class FraudScanDefinitionException : WorkflowDefinitionException
{
    public FraudScanDefinitionException()
        : this("the fraud scan definition", [])
    {
    }

    public FraudScanDefinitionException(string message)
        : base(message)
    {
    }

    public FraudScanDefinitionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public FraudScanDefinitionException(string definitionSource, IReadOnlyList<string> errors, Exception? innerException = null)
        : base(definitionSource, "fraud scan definition", errors, innerException)
    {
    }
}

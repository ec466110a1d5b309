using Orchestration.Workflows.Definitions;

namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// Reads <c>workflows/fraud-scan/workflow.json</c> the way every definition is read (<see cref="WorkflowDefinitionJson"/>:
/// strict JSON, errors by JSON path), then applies <see cref="FraudScanDefinitionValidator"/>. Any problem throws
/// <see cref="FraudScanDefinitionException"/> naming the file and every bad field by JSON path.
/// </summary>
public static class FraudScanDefinitionLoader
{
    /// <summary>Where the definition is copied next to the built assemblies of both hosts.</summary>
    public static string DefaultPath { get; } = Path.Combine(AppContext.BaseDirectory, "workflows", "fraud-scan", "workflow.json");

    /// <summary>Reads and validates the definition at <paramref name="path"/>.</summary>
    public static FraudScanDefinition Load(string path)
    {
        (string json, string fullPath) = WorkflowDefinitionJson.ReadFile(path, "fraud scan definition");
        return Parse(json, fullPath);
    }

    /// <summary>Parses and validates a definition; <paramref name="source"/> names it in error messages (a file path, usually).</summary>
    public static FraudScanDefinition Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return WorkflowDefinitionJson.Parse<FraudScanDefinition>(
            json,
            FraudScanDefinitionValidator.Validate,
            (errors, inner) => new FraudScanDefinitionException(source, errors, inner));
    }
}

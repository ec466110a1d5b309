namespace Orchestration.Workflows.FraudScan.Rules;

/// <summary>What every rule's section of <c>workflow.json</c> has: whether the rule runs.</summary>
public abstract record SurveillanceRuleSettings
{
    public bool Enabled { get; init; } = true;
}

namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// One suspicion a rule raised, with the evidence: the events that prove it. Alerts are ranked by <see cref="Score"/>
/// (highest first) in the report.
/// </summary>
/// <param name="Rule">The rule's name (<see cref="ISurveillanceRule.Name"/>), e.g. <c>wash-trade</c>.</param>
/// <param name="Symbol">The instrument.</param>
/// <param name="Accounts">The accounts involved, sorted, distinct.</param>
/// <param name="From">Time of the first evidence event (UTC).</param>
/// <param name="To">Time of the last evidence event (UTC).</param>
/// <param name="Score">0–100: how strongly the evidence points at abuse (each rule documents its formula).</param>
/// <param name="EventIds">The evidence, in time order.</param>
/// <param name="Summary">One sentence an analyst reads first.</param>
public sealed record Alert(
    string Rule,
    string Symbol,
    IReadOnlyList<string> Accounts,
    DateTime From,
    DateTime To,
    double Score,
    IReadOnlyList<string> EventIds,
    string Summary);

/// <summary>One surveillance rule: pure, deterministic, stateless between calls (parameters come from its settings).</summary>
public interface ISurveillanceRule
{
    /// <summary>Kebab-case name, as in reports and <c>workflow.json</c>.</summary>
    string Name { get; }

    /// <summary>Adds an alert to <paramref name="alerts"/> for every case found in <paramref name="day"/>.</summary>
    void Scan(SymbolDay day, ICollection<Alert> alerts);
}

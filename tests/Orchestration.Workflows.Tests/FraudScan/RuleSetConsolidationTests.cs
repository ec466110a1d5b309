using Orchestration.Workflows.FraudScan;
using Orchestration.Workflows.FraudScan.Rules;

namespace Orchestration.Workflows.Tests.FraudScan;

/// <summary>
/// One case, one alert: an unusual-volume alert on events another rule's alert already holds is folded into that alert
/// (<see cref="RuleSet.ScanSymbol"/>), the way the scan and the quality measurements run the rules.
/// </summary>
[TestClass]
public sealed class RuleSetConsolidationTests
{
    static readonly DateTime At = new(2026, 11, 24, 15, 0, 0, DateTimeKind.Utc);
    static readonly SymbolDay Day = new(DayBuilder.Symbol, [], []);

    [TestMethod]
    public void ScanSymbol_VolumeAlertOnAnotherRulesEvidence_FoldedIntoThatAlert_WhichSaysSo()
    {
        Alert ahead = Alert(FrontRunningRule.RuleName, "E1", "E2", "E3");
        Alert volume = Alert(UnusualVolumeRule.RuleName, "E3", "E4");

        List<Alert> alerts = Scan(ahead, volume);

        Alert only = alerts.Single();
        Assert.AreEqual(FrontRunningRule.RuleName, only.Rule);
        CollectionAssert.AreEqual(ahead.EventIds.ToArray(), only.EventIds.ToArray());
        StringAssert.EndsWith(only.Summary, "Also unusual volume for the owner and the symbol.");
    }

    [TestMethod]
    public void ScanSymbol_VolumeAlertOfItsOwn_AndOtherRulesAlerts_AllKeptUnchanged()
    {
        Alert spoof = Alert(SpoofingRule.RuleName, "E1", "E2");
        Alert wash = Alert(WashTradeRule.RuleName, "E2", "E5");
        Alert ramp = Alert(UnusualVolumeRule.RuleName, "E7", "E8");

        List<Alert> alerts = Scan(spoof, wash, ramp);

        CollectionAssert.AreEquivalent(new[] { spoof, wash, ramp }, alerts);
    }

    [TestMethod]
    public void ScanSymbol_OnlyVolumeAlerts_NothingToFoldInto_AllKept()
    {
        Alert first = Alert(UnusualVolumeRule.RuleName, "E1");
        Alert second = Alert(UnusualVolumeRule.RuleName, "E1", "E2");

        CollectionAssert.AreEquivalent(new[] { first, second }, Scan(first, second));
    }

    static List<Alert> Scan(params Alert[] raised)
    {
        var alerts = new List<Alert>();
        RuleSet.ScanSymbol([.. raised.GroupBy(a => a.Rule).Select(g => new Raises(g.Key, [.. g]))], Day, alerts);
        return alerts;
    }

    static Alert Alert(string rule, params string[] eventIds) =>
        new(rule, DayBuilder.Symbol, ["A"], At, At, 70, eventIds, $"{rule} case.");

    /// <summary>A rule that raises the given alerts whatever the day: what the consolidation is tested with.</summary>
    sealed class Raises(string name, IReadOnlyList<Alert> alerts) : ISurveillanceRule
    {
        public string Name => name;

        public void Scan(SymbolDay day, ICollection<Alert> found)
        {
            foreach (Alert alert in alerts)
            {
                found.Add(alert);
            }
        }
    }
}

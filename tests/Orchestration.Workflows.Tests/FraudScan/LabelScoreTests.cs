using Orchestration.MarketGen;
using Orchestration.Workflows.FraudScan;

namespace Orchestration.Workflows.Tests.FraudScan;

/// <summary>The scorer of the quality bench and <see cref="RuleAccuracyTests"/>: what counts as found, true, false and flagged.</summary>
[TestClass]
public sealed class LabelScoreTests
{
    static readonly DateTime At = new(2026, 11, 24, 15, 0, 0, DateTimeKind.Utc);

    [TestMethod]
    public void Score_AlertsAgainstLabels_FoundTrueFalseFlaggedAndOtherRulesAbuseCountedApart()
    {
        PlantedCase[] labels =
        [
            new("unusual-volume", "AAA", ["A1"], ["E1", "E2"], Decoy: false, "ramp"),
            new("unusual-volume", "AAA", ["A9"], ["E9"], Decoy: false, "ramp nobody found"),
            new("unusual-volume", "BBB", ["M1"], ["E20"], Decoy: true, "Hard negative: market maker"),
            new("front-running", "CCC", ["D1"], ["E30", "E31"], Decoy: false, "desk ahead of a block"),
        ];
        Alert[] alerts =
        [
            Alert("unusual-volume", "AAA", "E2", "E3"),   // finds the first ramp
            Alert("unusual-volume", "AAA", "E1"),         // the same ramp again: true, found once
            Alert("unusual-volume", "BBB", "E20"),        // flags the hard negative
            Alert("unusual-volume", "CCC", "E31"),        // on the front-runner's trades: false, but another rule's abuse
            Alert("unusual-volume", "AAA", "E30"),        // E30 is CCC's: a different symbol shares nothing
            Alert("front-running", "CCC", "E30"),         // the other rule's own true positive
        ];

        RuleQuality volume = LabelScore.Score(["unusual-volume", "front-running"], alerts, labels)[0];

        Assert.AreEqual(new RuleQuality("unusual-volume", Planted: 2, Found: 1, Alerts: 5, TruePositives: 2, HardNegatives: 1, HardNegativesFlagged: 1, OnOtherAbuse: 1), volume);
        Assert.AreEqual(0.5, volume.Recall);
        Assert.AreEqual(0.4, volume.Precision);
        var (missed, wrong) = LabelScore.Mistakes("unusual-volume", alerts, labels);
        Assert.AreEqual("ramp nobody found", missed.Single().Note);
        Assert.HasCount(3, wrong);
        Assert.AreEqual("Hard negative: market maker", wrong.Single(w => w.HardNegative is not null).HardNegative!.Note);
    }

    [TestMethod]
    public void Score_NothingPlantedNothingRaised_RecallAndPrecisionOne_NotAFailure()
    {
        RuleQuality quiet = LabelScore.Score(["spoofing"], [], [])[0];

        Assert.AreEqual((0, 0, 1.0, 1.0), (quiet.Planted, quiet.Alerts, quiet.Recall, quiet.Precision));
    }

    static Alert Alert(string rule, string symbol, params string[] eventIds) =>
        new(rule, symbol, ["X"], At, At, 60, eventIds, "test");
}

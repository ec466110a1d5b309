using Orchestration.Workflows.FraudScan;

namespace Orchestration.MarketGen;

/// <summary>
/// How one rule did on one labelled day. Planted cases are found when an alert of the rule matches them; an alert is
/// true when it matches a planted case; a hard negative is flagged when an alert of its rule matches it.
/// </summary>
/// <param name="Planted">Planted abuses of the rule in the day (labels with <see cref="PlantedCase.Decoy"/> false).</param>
/// <param name="Found">Planted abuses at least one alert of the rule matches.</param>
/// <param name="Alerts">Alerts the rule raised.</param>
/// <param name="TruePositives">Alerts that match a planted abuse.</param>
/// <param name="HardNegatives">Labelled legitimate look-alikes of the rule's abuse.</param>
/// <param name="HardNegativesFlagged">Hard negatives at least one alert of the rule matches.</param>
/// <param name="OnOtherAbuse">Alerts that match no planted abuse of the rule but share events with one planted for another
/// rule (e.g. an unusual-volume alert on a front-runner's trading ahead): counted as false, shown apart.</param>
public sealed record RuleQuality(string Rule, int Planted, int Found, int Alerts, int TruePositives, int HardNegatives, int HardNegativesFlagged, int OnOtherAbuse = 0)
{
    /// <summary>True alerts over all alerts; 1 when the rule raised nothing (no alert is a wrong alert).</summary>
    public double Precision => Alerts == 0 ? 1 : TruePositives / (double)Alerts;

    /// <summary>Found over planted; 1 when nothing was planted.</summary>
    public double Recall => Planted == 0 ? 1 : Found / (double)Planted;
}

/// <summary>Scores alerts against a day's labels (<see cref="PlantedCase"/>): what the quality benchmark and the tests share.</summary>
public static class LabelScore
{
    /// <summary>An alert matches a case when rule and symbol agree and they share an event id.</summary>
    public static bool Matches(Alert alert, PlantedCase label)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(label);
        return alert.Rule == label.Rule && Overlaps(alert, label);
    }

    /// <summary>Same symbol and a shared event id, whatever the rules.</summary>
    static bool Overlaps(Alert alert, PlantedCase label) =>
        alert.Symbol == label.Symbol && alert.EventIds.Intersect(label.EventIds, StringComparer.Ordinal).Any();

    /// <summary>One row per rule in <paramref name="rules"/>, in that order.</summary>
    public static IReadOnlyList<RuleQuality> Score(IEnumerable<string> rules, IReadOnlyList<Alert> alerts, IReadOnlyList<PlantedCase> labels)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(labels);
        var rows = new List<RuleQuality>();
        foreach (string rule in rules)
        {
            List<PlantedCase> planted = [.. labels.Where(c => c.Rule == rule && !c.Decoy)];
            List<PlantedCase> negatives = [.. labels.Where(c => c.Rule == rule && c.Decoy)];
            List<Alert> raised = [.. alerts.Where(a => a.Rule == rule)];
            rows.Add(new RuleQuality(
                rule,
                planted.Count,
                planted.Count(c => raised.Exists(a => Matches(a, c))),
                raised.Count,
                raised.Count(a => planted.Exists(c => Matches(a, c))),
                negatives.Count,
                negatives.Count(c => raised.Exists(a => Matches(a, c))),
                raised.Count(a => !planted.Exists(c => Matches(a, c)) && labels.Any(c => !c.Decoy && c.Rule != rule && Overlaps(a, c)))));
        }

        return rows;
    }

    /// <summary>The labels of <paramref name="rule"/> no alert found, and its alerts that match no planted abuse (with the hard negative they hit, if any).</summary>
    public static (IReadOnlyList<PlantedCase> Missed, IReadOnlyList<(Alert Alert, PlantedCase? HardNegative)> False) Mistakes(string rule, IReadOnlyList<Alert> alerts, IReadOnlyList<PlantedCase> labels)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(labels);
        List<Alert> raised = [.. alerts.Where(a => a.Rule == rule)];
        List<PlantedCase> planted = [.. labels.Where(c => c.Rule == rule && !c.Decoy)];
        var missed = planted.Where(c => !raised.Exists(a => Matches(a, c))).ToList();
        var wrong = raised
            .Where(a => !planted.Exists(c => Matches(a, c)))
            .Select(a => (a, labels.FirstOrDefault(c => c.Decoy && Matches(a, c))))
            .ToList();
        return (missed, wrong);
    }

    /// <summary>
    /// <see cref="Mistakes"/> as lines a person reads: a heading count, each missed case, then at most
    /// <paramref name="maxFalse"/> false alerts (with the hard negative each hit, if any).
    /// </summary>
    public static IEnumerable<string> Explain(string rule, IReadOnlyList<Alert> alerts, IReadOnlyList<PlantedCase> labels, int maxFalse)
    {
        var (missed, wrong) = Mistakes(rule, alerts, labels);
        yield return $"{rule}: {missed.Count} missed, {wrong.Count} false alerts";
        foreach (PlantedCase c in missed)
        {
            yield return $"missed {c.Symbol}: {c.Note}";
        }

        foreach ((Alert alert, PlantedCase? negative) in wrong.Take(maxFalse))
        {
            yield return FormattableString.Invariant($"false {alert.Symbol} {alert.From:HH:mm:ss} score {alert.Score}{(negative is null ? "" : " [hard negative: " + negative.Note + "]")}: {alert.Summary}");
        }
    }
}

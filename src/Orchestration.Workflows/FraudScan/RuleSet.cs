using Orchestration.Workflows.FraudScan.Rules;

namespace Orchestration.Workflows.FraudScan;

/// <summary>The enabled rules of a definition, run one after the other over each symbol's day.</summary>
public sealed class RuleSet
{
    RuleSet(IReadOnlyList<ISurveillanceRule> rules) => Rules = rules;

    /// <summary>The enabled rules, in the order of <c>workflow.json</c>'s rules section.</summary>
    public IReadOnlyList<ISurveillanceRule> Rules { get; }

    public static RuleSet From(FraudScanDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        RuleSettings settings = definition.Rules;
        (SurveillanceRuleSettings Settings, Func<ISurveillanceRule> Create)[] all =
        [
            (settings.WashTrade, () => new WashTradeRule(settings.WashTrade)),
            (settings.Spoofing, () => new SpoofingRule(settings.Spoofing)),
            (settings.FrontRunning, () => new FrontRunningRule(settings.FrontRunning)),
            (settings.MarkingTheClose, () => new MarkingTheCloseRule(settings.MarkingTheClose)),
            (settings.TradingAheadOfNews, () => new TradingAheadOfNewsRule(settings.TradingAheadOfNews)),
            (settings.UnusualVolume, () => new UnusualVolumeRule(settings.UnusualVolume)),
        ];
        return new RuleSet([.. all.Where(r => r.Settings.Enabled).Select(r => r.Create())]);
    }

    /// <summary>Every enabled rule over <paramref name="day"/>, adding what they find to <paramref name="alerts"/> (see <see cref="ScanSymbol"/>).</summary>
    public void Scan(SymbolDay day, ICollection<Alert> alerts) => ScanSymbol(Rules, day, alerts);

    /// <summary>
    /// <paramref name="rules"/> over one symbol's day, one case one alert: an <c>unusual-volume</c> alert whose evidence
    /// shares an event with another rule's alert on the same day is the same case seen more generally (a front-runner's
    /// trading ahead, a close marker's push, an insider's position are all unusual volume too), so it is folded into that
    /// alert — whose summary then says so — instead of being raised again. What the scan and the tests share.
    /// </summary>
    public static void ScanSymbol(IReadOnlyList<ISurveillanceRule> rules, SymbolDay day, ICollection<Alert> alerts)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(day);
        ArgumentNullException.ThrowIfNull(alerts);
        var found = new List<Alert>();
        foreach (ISurveillanceRule rule in rules)
        {
            rule.Scan(day, found);
        }

        foreach (Alert alert in Consolidate(found))
        {
            alerts.Add(alert);
        }
    }

    static List<Alert> Consolidate(List<Alert> found)
    {
        List<Alert> volume = found.FindAll(a => a.Rule == UnusualVolumeRule.RuleName);
        if (volume.Count == 0 || volume.Count == found.Count)
        {
            return found;
        }

        var specific = found.FindAll(a => a.Rule != UnusualVolumeRule.RuleName);
        var byEvent = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int k = 0; k < specific.Count; k++)
        {
            foreach (string id in specific[k].EventIds)
            {
                byEvent.TryAdd(id, k);
            }
        }

        var corroborated = new HashSet<int>();
        var kept = new List<Alert>();
        foreach (Alert alert in volume)
        {
            int into = -1;
            foreach (string id in alert.EventIds)
            {
                if (byEvent.TryGetValue(id, out int k))
                {
                    into = k;
                    break;
                }
            }

            if (into < 0)
            {
                kept.Add(alert);
            }
            else
            {
                corroborated.Add(into);
            }
        }

        var result = new List<Alert>(specific.Count + kept.Count);
        for (int k = 0; k < specific.Count; k++)
        {
            result.Add(corroborated.Contains(k)
                ? specific[k] with { Summary = $"{specific[k].Summary} Also unusual volume for the owner and the symbol." }
                : specific[k]);
        }

        result.AddRange(kept);
        return result;
    }
}

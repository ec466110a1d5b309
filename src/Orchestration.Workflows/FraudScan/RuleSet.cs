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

    /// <summary>Every enabled rule over <paramref name="day"/>, adding what they find to <paramref name="alerts"/>.</summary>
    public void Scan(SymbolDay day, ICollection<Alert> alerts)
    {
        foreach (ISurveillanceRule rule in Rules)
        {
            rule.Scan(day, alerts);
        }
    }
}

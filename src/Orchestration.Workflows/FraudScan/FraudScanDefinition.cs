using System.Text.Json.Serialization;
using Orchestration.Workflows.FraudScan.Rules;

namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// The fraud scan as data (<c>workflows/fraud-scan/workflow.json</c>): how many partitions, which containers, and every rule's
/// switch and parameters. Changing a threshold needs no code change. Validated at start-up by
/// <see cref="FraudScanDefinitionValidator"/>.
/// </summary>
public sealed record FraudScanDefinition
{
    /// <summary>
    /// The most symbol partitions (scan activities) one scan fans out to; each holds whole symbols. High enough that a
    /// partition stays at <see cref="PartitionTargetBytes"/> up to 8 GiB of input: a partition scan holds its partition in
    /// memory, so capping the count lower makes a host's memory grow with the day's size.
    /// </summary>
    public int Partitions { get; init; } = 256;

    /// <summary>
    /// Input bytes per partition: a scan takes one partition per this many bytes of input, up to <see cref="Partitions"/>.
    /// 32 MiB of CSV is about 280,000 events, a few hundred MB while scanned.
    /// </summary>
    public long PartitionTargetBytes { get; init; } = 32L * 1024 * 1024;

    public FraudScanContainers Containers { get; init; } = new();

    public RuleSettings Rules { get; init; } = new();

    /// <summary>
    /// The rule settings as JSON: part of every scan id, so a scan under changed thresholds is a new scan with its own
    /// report rather than an overwrite of the old one. (The partitioning does not change what is found.)
    /// </summary>
    public string Fingerprint() => System.Text.Json.JsonSerializer.Serialize(Rules, Durable.DurableJson.Options);
}

public sealed record FraudScanContainers
{
    /// <summary>Where event files are dropped.</summary>
    public string Input { get; init; } = "market-events";

    /// <summary>Where partitions and partial results are kept between activities.</summary>
    public string Work { get; init; } = "fraud-work";

    /// <summary>Where the ranked alert reports are written.</summary>
    public string Reports { get; init; } = "fraud-reports";

    /// <summary>
    /// The containers a request may name as <c>container</c> (files, prefix, news): the allow-list. Any other
    /// container, the host's own included, is refused.
    /// </summary>
    public IReadOnlyList<string> Sources { get; init; } = ["market-events"];

    public bool Equals(FraudScanContainers? other) =>
        other is not null && Input == other.Input && Work == other.Work && Reports == other.Reports
        && (Sources ?? []).SequenceEqual(other.Sources ?? []);

    public override int GetHashCode() => HashCode.Combine(Input, Work, Reports, Sources?.Count);
}

/// <summary>Each rule's section, under the rule's name (<c>"wash-trade": { ... }</c>).</summary>
public sealed record RuleSettings
{
    [JsonPropertyName(WashTradeRule.RuleName)]
    public WashTradeSettings WashTrade { get; init; } = new();

    [JsonPropertyName(SpoofingRule.RuleName)]
    public SpoofingSettings Spoofing { get; init; } = new();

    [JsonPropertyName(FrontRunningRule.RuleName)]
    public FrontRunningSettings FrontRunning { get; init; } = new();

    [JsonPropertyName(MarkingTheCloseRule.RuleName)]
    public MarkingTheCloseSettings MarkingTheClose { get; init; } = new();

    [JsonPropertyName(TradingAheadOfNewsRule.RuleName)]
    public TradingAheadOfNewsSettings TradingAheadOfNews { get; init; } = new();

    [JsonPropertyName(UnusualVolumeRule.RuleName)]
    public UnusualVolumeSettings UnusualVolume { get; init; } = new();
}

using Orchestration.Workflows.FraudScan.Rules;
using static Orchestration.Workflows.Definitions.DefinitionChecks;

namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// The rules of the fraud scan's <c>workflow.json</c>. Reports every problem at once, each naming its field by JSON path:
/// <c>rules.spoofing.maxOppositeShare: must be more than 0 and at most 1 (was 1.5)</c>.
/// </summary>
public static class FraudScanDefinitionValidator
{
    public const int MaxPartitions = 256;

    public const long MinPartitionTargetBytes = 64 * 1024;

    /// <summary>Checks <paramref name="definition"/>.</summary>
    /// <returns>Every problem found, empty when the definition is valid.</returns>
    public static IReadOnlyList<string> Validate(FraudScanDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);

        var errors = new List<string>();
        if (definition.Partitions is < 1 or > MaxPartitions)
        {
            errors.Add($"partitions: must be 1 to {MaxPartitions} (was {Show(definition.Partitions)})");
        }

        if (definition.PartitionTargetBytes < MinPartitionTargetBytes)
        {
            errors.Add($"partitionTargetBytes: must be at least {MinPartitionTargetBytes} (was {Show(definition.PartitionTargetBytes)})");
        }

        ValidateContainers(definition.Containers, errors);
        ValidateRules(definition.Rules, errors);
        return errors;
    }

    static void ValidateContainers(FraudScanContainers? containers, List<string> errors)
    {
        if (containers is null)
        {
            errors.Add("containers: must be an object, not null");
            return;
        }

        CheckContainers(
            [("containers.input", containers.Input), ("containers.work", containers.Work), ("containers.reports", containers.Reports)],
            "input, work and reports must be three different containers",
            errors);
        CheckSources(containers.Sources, [("containers.work", containers.Work), ("containers.reports", containers.Reports)], containers.Input, errors);
        if (containers.Input != Triggers.BlobTriggerFunctions.MarketEventsContainer)
        {
            errors.Add($"containers.input: must be '{Triggers.BlobTriggerFunctions.MarketEventsContainer}', the path of the blob trigger (was '{containers.Input}')");
        }
    }

    static void ValidateRules(RuleSettings? rules, List<string> errors)
    {
        if (rules is null)
        {
            errors.Add("rules: must be an object, not null");
            return;
        }

        if (Section($"rules.{WashTradeRule.RuleName}", rules.WashTrade, errors) is { } wash)
        {
            wash.UpTo("windowSeconds", rules.WashTrade.WindowSeconds, 86_400);
            wash.Between("priceTolerance", rules.WashTrade.PriceTolerance, 0, 0.1);
            wash.Between("quantityTolerance", rules.WashTrade.QuantityTolerance, 0, 1);
            wash.UpTo("arrangedWithinSeconds", rules.WashTrade.ArrangedWithinSeconds, 3_600);
            wash.Between("maxCoincidence", rules.WashTrade.MaxCoincidence, 0, 1);
            wash.Between("minPairConcentration", rules.WashTrade.MinPairConcentration, 1, 1_000_000);
        }

        if (Section($"rules.{SpoofingRule.RuleName}", rules.Spoofing, errors) is { } spoofing)
        {
            spoofing.Positive("sizeMultiple", rules.Spoofing.SizeMultiple);
            spoofing.Between("depthMultiple", rules.Spoofing.DepthMultiple, 0, 1_000);
            spoofing.UpTo("maxLifetimeSeconds", rules.Spoofing.MaxLifetimeSeconds, 3_600);
            spoofing.Between("maxFilledShare", rules.Spoofing.MaxFilledShare, 0, 1);
            spoofing.UpTo("maxOppositeShare", rules.Spoofing.MaxOppositeShare, 1);
        }

        if (Section($"rules.{FrontRunningRule.RuleName}", rules.FrontRunning, errors) is { } frontRunning)
        {
            frontRunning.UpTo("aheadWithinSeconds", rules.FrontRunning.AheadWithinSeconds, 3_600);
            frontRunning.Positive("blockOrderMultiple", rules.FrontRunning.BlockOrderMultiple);
            frontRunning.Between("blockVolumeShare", rules.FrontRunning.BlockVolumeShare, 0, 1);
            frontRunning.UpTo("volumeLookbackMinutes", rules.FrontRunning.VolumeLookbackMinutes, 1_440);
            frontRunning.Between("aheadMultiple", rules.FrontRunning.AheadMultiple, 0, 1_000);
            frontRunning.Between("minBaselineWindows", rules.FrontRunning.MinBaselineWindows, 1, 1_000);
            frontRunning.Between("minSameSideShare", rules.FrontRunning.MinSameSideShare, 0.5, 1);
            frontRunning.UpTo("unwindWithinSeconds", rules.FrontRunning.UnwindWithinSeconds, 86_400);
        }

        if (Section($"rules.{MarkingTheCloseRule.RuleName}", rules.MarkingTheClose, errors) is { } close)
        {
            close.UpTo("lastMinutes", rules.MarkingTheClose.LastMinutes, 1_440);
            close.UpTo("minShareOfVolume", rules.MarkingTheClose.MinShareOfVolume, 1);
            close.Positive("moveMultiple", rules.MarkingTheClose.MoveMultiple);
            close.Between("minNetShare", rules.MarkingTheClose.MinNetShare, 0, 1);
            close.Between("minExecutions", rules.MarkingTheClose.MinExecutions, 1, 1_000);
            close.Positive("fewExecutionsMoveMultiple", rules.MarkingTheClose.FewExecutionsMoveMultiple);
            if (rules.MarkingTheClose.FewExecutionsMoveMultiple < rules.MarkingTheClose.MoveMultiple)
            {
                errors.Add($"rules.{MarkingTheCloseRule.RuleName}.fewExecutionsMoveMultiple: must be at least moveMultiple ({Show(rules.MarkingTheClose.MoveMultiple)}) (was {Show(rules.MarkingTheClose.FewExecutionsMoveMultiple)})");
            }
        }

        if (Section($"rules.{TradingAheadOfNewsRule.RuleName}", rules.TradingAheadOfNews, errors) is { } news)
        {
            news.Between("minMateriality", rules.TradingAheadOfNews.MinMateriality, 0, 1);
            news.UpTo("lookbackMinutes", rules.TradingAheadOfNews.LookbackMinutes, 1_440);
            news.Positive("ownerMultiple", rules.TradingAheadOfNews.OwnerMultiple);
            news.UpTo("minShareOfVolume", rules.TradingAheadOfNews.MinShareOfVolume, 1);
            news.Between("minOrders", rules.TradingAheadOfNews.MinOrders, 1, 10_000);
            news.UpTo("confirmMinutes", rules.TradingAheadOfNews.ConfirmMinutes, 1_440);
        }

        if (Section($"rules.{UnusualVolumeRule.RuleName}", rules.UnusualVolume, errors) is { } volume)
        {
            volume.UpTo("windowMinutes", rules.UnusualVolume.WindowMinutes, 1_440);
            volume.Positive("ownerMultiple", rules.UnusualVolume.OwnerMultiple);
            volume.Positive("minShareOfSymbol", rules.UnusualVolume.MinShareOfSymbol);
            volume.UpTo("profileMinutes", rules.UnusualVolume.ProfileMinutes, 1_440);
            volume.Between("minOneSided", rules.UnusualVolume.MinOneSided, 0, 1);
            volume.Between("minPushingShare", rules.UnusualVolume.MinPushingShare, 0, 1);
            volume.Between("minOrders", rules.UnusualVolume.MinOrders, 1, 10_000);
            volume.Between("minSpan", rules.UnusualVolume.MinSpan, 0, 1);
        }
    }

    /// <summary>The checks of one section, or null (and an error) when the section itself is null.</summary>
    static Fields? Section(string path, object? section, List<string> errors)
    {
        if (section is null)
        {
            errors.Add($"{path}: must be an object, not null");
            return null;
        }

        return new Fields(path, errors);
    }

    /// <summary>Range checks of the fields of the section at <paramref name="path"/>, with the field's JSON path in each message.</summary>
    readonly struct Fields(string path, List<string> errors)
    {
        /// <summary>A finite number above 0.</summary>
        public void Positive(string field, double value)
        {
            if (!(value > 0 && double.IsFinite(value)))
            {
                errors.Add($"{path}.{field}: must be a positive number (was {Show(value)})");
            }
        }

        /// <summary>Above 0 and at most <paramref name="max"/>.</summary>
        public void UpTo(string field, double value, double max)
        {
            if (!(value > 0 && value <= max))
            {
                errors.Add($"{path}.{field}: must be more than 0 and at most {Show(max)} (was {Show(value)})");
            }
        }

        public void Between(string field, double value, double min, double max)
        {
            if (!(value >= min && value <= max))
            {
                errors.Add($"{path}.{field}: must be {Show(min)} to {Show(max)} (was {Show(value)})");
            }
        }

        public void Between(string field, long value, long min, long max)
        {
            if (value < min || value > max)
            {
                errors.Add(max == long.MaxValue || max == int.MaxValue
                    ? $"{path}.{field}: must be at least {Show(min)} (was {Show(value)})"
                    : $"{path}.{field}: must be {Show(min)} to {Show(max)} (was {Show(value)})");
            }
        }
    }
}

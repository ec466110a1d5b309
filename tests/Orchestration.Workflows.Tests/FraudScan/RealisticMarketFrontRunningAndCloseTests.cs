using Orchestration.MarketGen;
using Orchestration.Workflows.FraudScan;

namespace Orchestration.Workflows.Tests.FraudScan;

/// <summary>The planted front-running and marking-the-close cases of the realistic mode, and their hard negatives, have the shape their notes say.</summary>
[TestClass]
public sealed class RealisticMarketFrontRunningAndCloseTests
{
    static readonly MarketGenOptions Day = new() { Events = 200_000, Seed = 13, Symbols = 200 };

    static readonly RealisticMarket Market = new(Day);

    [TestMethod]
    public void Abuse_FrontRunning_TheClientsFirmTradesItsSideForItselfMinutesBeforeABlockOfTheSymbol()
    {
        PlantedCase[] cases = [.. Market.Cases.Where(c => !c.Decoy && c.Rule == "front-running")];
        Assert.IsTrue(cases.Length >= 5, $"{cases.Length} cases");
        var events = Market.Events.ToDictionary(e => e.EventId, StringComparer.Ordinal);
        foreach (PlantedCase c in cases)
        {
            MarketEvent[] own = [.. c.EventIds.Select(id => events[id])];
            MarketEvent block = own.Single(e => e.Type == EventType.New && e.Capacity == Capacity.Client);
            MarketEvent[] ahead = [.. own.Where(e => e.Type == EventType.Trade && e.Capacity == Capacity.Principal && e.Timestamp < block.Timestamp)];
            Assert.IsTrue(ahead.Length > 0 && ahead.All(e => e.Firm == block.Firm && e.Side == block.Side), c.Note);
            Assert.IsTrue(ahead.All(e => block.Timestamp - e.Timestamp <= TimeSpan.TicksPerMinute * 4), c.Note);

            long[] sizes = [.. Market.Events.Where(e => e.Symbol == c.Symbol && e.Type == EventType.New).Select(e => e.Quantity).Order()];
            Assert.IsTrue(block.Quantity >= 10 * sizes[sizes.Length / 2], $"{c.Note}: block {block.Quantity} against a median order of {sizes[sizes.Length / 2]}");
        }

        foreach (string kind in new[] { "Hard negative: market maker", "(the other way)", "before a small", "after (not ahead of)" })
        {
            Assert.IsTrue(Market.Cases.Any(c => c.Decoy && c.Rule == "front-running" && c.Note.Contains(kind, StringComparison.Ordinal)), $"no hard negative '{kind}'");
        }
    }

    [TestMethod]
    public void Abuse_MarkingTheClose_OneWayTradingInTheLastMinutesMovesTheCloseItsWay()
    {
        PlantedCase[] cases = [.. Market.Cases.Where(c => !c.Decoy && c.Rule == "marking-the-close")];
        Assert.IsTrue(cases.Length >= 5, $"{cases.Length} cases");
        long close = Day.Date.ToDateTime(new TimeOnly(21, 0), DateTimeKind.Utc).Ticks;
        foreach (PlantedCase c in cases)
        {
            MarketEvent[] day = [.. Market.Events.Where(e => e.Symbol == c.Symbol && e.Type == EventType.Trade)];
            MarketEvent[] marker = [.. day.Where(e => c.Accounts.Contains(e.Account))];
            Assert.IsTrue(marker.Length > 0 && marker.All(e => e.Timestamp >= close - (10 * TimeSpan.TicksPerMinute) && e.Side == marker[0].Side), c.Note);

            double before = day.Last(e => e.Timestamp < close - (10 * TimeSpan.TicksPerMinute)).Price;
            double after = day[^1].Price;
            double move = (after / before) - 1;
            Assert.IsTrue(marker[0].Side == Side.Buy ? move > 0 : move < 0, $"{c.Note}: close {after} from {before}");
        }

        foreach (string kind in new[] { "thin symbol's closing volume", "index rebalance", "busy symbol" })
        {
            Assert.IsTrue(Market.Cases.Any(c => c.Decoy && c.Rule == "marking-the-close" && c.Note.Contains(kind, StringComparison.Ordinal)), $"no hard negative '{kind}'");
        }
    }
}

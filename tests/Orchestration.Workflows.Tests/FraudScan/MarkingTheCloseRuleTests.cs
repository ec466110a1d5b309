using Orchestration.Workflows.FraudScan;
using Orchestration.Workflows.FraudScan.Rules;

namespace Orchestration.Workflows.Tests.FraudScan;

[TestClass]
public sealed class MarkingTheCloseRuleTests
{
    static readonly MarkingTheCloseRule Rule = new(new MarkingTheCloseSettings());

    const double PeriodStart = DayBuilder.Close - 600;

    /// <summary>
    /// A day that trades every five minutes up to the closing period, bouncing between 100.10 and 100.00 (its normal move:
    /// 0.1 %), the last trade before the period at 100.00.
    /// </summary>
    static DayBuilder Day()
    {
        var day = new DayBuilder();
        for (int i = 0; i * 300 < PeriodStart; i++)
        {
            day.Trade(i * 300, $"X{i % 7}", $"Y{i % 5}", 100, i % 2 == 0 ? 100.1 : 100);
        }

        return day;
    }

    [TestMethod]
    public void Scan_AggressiveBuysMostOfTheVolumeWalkingThePriceUp_OneAlertWithThem()
    {
        DayBuilder day = Day();
        var buys = new List<MarketEvent> { day.Fill(PeriodStart + 100, "M", Side.Buy, 1000, 100.2) };
        day.Trade(PeriodStart + 150, "N1", "N2", 2000, 100.05);
        buys.Add(day.Fill(PeriodStart + 200, "M", Side.Buy, 1000, 100.4));
        buys.Add(day.Fill(PeriodStart + 300, "M", Side.Buy, 1000, 100.6));

        Alert alert = day.Scan(Rule).Single();

        CollectionAssert.AreEqual(buys.Select(b => b.EventId).ToArray(), alert.EventIds.ToArray());
        CollectionAssert.AreEqual(new[] { "M" }, alert.Accounts.ToArray());
        Assert.IsTrue(alert.Score is > 50 and <= 100, $"score {alert.Score}");
    }

    [TestMethod]
    public void Scan_AggressiveSellsAcrossTwoAccountsOfOneOwner_OneAlert()
    {
        DayBuilder day = Day();
        day.Fill(PeriodStart + 100, new DayBuilder.Party("M1", "OM"), Side.Sell, 1000, 99.8);
        day.Fill(PeriodStart + 200, new DayBuilder.Party("M2", "OM"), Side.Sell, 1000, 99.6);
        day.Fill(PeriodStart + 300, new DayBuilder.Party("M1", "OM"), Side.Sell, 1000, 99.4);

        Alert alert = day.Scan(Rule).Single();

        StringAssert.Contains(alert.Summary, "Sells");
        CollectionAssert.AreEqual(new[] { "M1", "M2" }, alert.Accounts.ToArray());
    }

    [TestMethod]
    public void Scan_MoveWithinTheSymbolsNormalMoves_NoAlert()
    {
        // 0.3 % over a day whose normal move is 0.1 %: under 4 × normal.
        DayBuilder day = Day();
        day.Fill(PeriodStart + 100, "M", Side.Buy, 1000, 100.1);
        day.Fill(PeriodStart + 200, "M", Side.Buy, 1000, 100.2);
        day.Fill(PeriodStart + 300, "M", Side.Buy, 1000, 100.3);

        Assert.AreEqual(0, day.Scan(Rule).Count);
    }

    [TestMethod]
    public void Scan_ShareOfTheClosingVolumeUnderTheMinimum_NoAlert()
    {
        DayBuilder day = Day();
        day.Fill(PeriodStart + 100, "M", Side.Buy, 100, 100.2);
        day.Trade(PeriodStart + 150, "N1", "N2", 2000, 100.05);
        day.Fill(PeriodStart + 200, "M", Side.Buy, 100, 100.4);
        day.Fill(PeriodStart + 300, "M", Side.Buy, 100, 100.6);

        Assert.AreEqual(0, day.Scan(Rule).Count);
    }

    [TestMethod]
    [DataRow(1, DisplayName = "one retail trade")]
    [DataRow(2, DisplayName = "two fills at one instant")]
    public void Scan_ThinSymbolOneInstantIsTheWholeClosingVolume_NoAlert_UnlessTheMoveIsAbnormal(int fills)
    {
        // Hard negative: the old rule flagged this (100 % of the volume, 0.6 % ≥ its 0.5 % minimum move).
        DayBuilder day = Day();
        for (int k = 0; k < fills; k++)
        {
            day.Fill(PeriodStart + 300, "R", Side.Buy, 300, 100.5 + (0.1 * k) + (fills == 1 ? 0.1 : 0));
        }

        Assert.AreEqual(0, day.Scan(Rule).Count);

        // One trade moving the close 15 normal moves, more than any period of the day: abnormal.
        DayBuilder abnormal = Day();
        abnormal.Fill(PeriodStart + 300, "R", Side.Buy, 300, 101.5);

        Assert.AreEqual(1, abnormal.Scan(Rule).Count);
    }

    [TestMethod]
    public void Scan_MarketMakerBuysAggressivelyButSellsMore_NotOneWay_NoAlert()
    {
        // Hard negative: the maker's aggressive buys are 44 % of the volume and the price rose 0.6 %, but it sold more than it bought.
        DayBuilder day = Day();
        var maker = new DayBuilder.Party("MM", Capacity: Capacity.Principal);
        day.Trade(PeriodStart + 100, maker, "C1", 1000, 100.2);
        day.Trade(PeriodStart + 200, maker, "C2", 1000, 100.4);
        day.Trade(PeriodStart + 300, "R", maker, 2500, 100.6);

        Assert.AreEqual(0, day.Scan(Rule).Count);
    }

    [TestMethod]
    public void Scan_LargeOnCloseOrderAtTheMarket_NoAlert_OnCloseLimitThatSetsTheCross_Alert()
    {
        // Hard negative: an index fund's on-close buy with a limit far through the price takes whatever the cross prints
        // (the old rule flagged it: all of the period's volume, 0.5 % up).
        DayBuilder taker = Day();
        MarketEvent buy = taker.New(PeriodStart + 400, "I", Side.Buy, 5000, 105);
        MarketEvent sell = taker.New(PeriodStart + 450, "S", Side.Sell, 5000, 95);
        taker.Execute(DayBuilder.Close, buy, sell, 5000, 100.5);

        Assert.AreEqual(0, taker.Scan(Rule).Count);

        // Its limit is the cross price: it set the close, about 5 normal moves up, and one order is enough.
        DayBuilder setter = Day();
        MarketEvent marking = setter.New(PeriodStart + 400, "M", Side.Buy, 5000, 100.6);
        MarketEvent other = setter.New(PeriodStart + 450, "S", Side.Sell, 5000, 95);
        (MarketEvent filled, _) = setter.Execute(DayBuilder.Close, marking, other, 5000, 100.6);

        Alert alert = setter.Scan(Rule).Single();

        CollectionAssert.AreEqual(new[] { filled.EventId }, alert.EventIds.ToArray());
    }

    [TestMethod]
    public void Scan_NothingTradedBeforeTheClosingPeriod_NoBaseline_NoAlert()
    {
        var day = new DayBuilder();
        day.Fill(PeriodStart + 100, "M", Side.Buy, 1000, 100.2);
        day.Fill(PeriodStart + 200, "M", Side.Buy, 1000, 104);
        day.Fill(PeriodStart + 300, "M", Side.Buy, 1000, 108);

        Assert.AreEqual(0, day.Scan(Rule).Count);
    }

    [TestMethod]
    public void Scan_ShorterPeriodLeavesTheFirstBuyOut_TwoExecutionsNeedAnAbnormalMove()
    {
        DayBuilder day = Day();
        day.Fill(PeriodStart + 100, "M", Side.Buy, 1000, 100.2);
        day.Fill(PeriodStart + 200, "M", Side.Buy, 1000, 100.4);
        day.Fill(PeriodStart + 300, "M", Side.Buy, 1000, 100.6);

        Assert.AreEqual(1, day.Scan(Rule).Count);
        Assert.AreEqual(0, day.Scan(new MarkingTheCloseRule(new MarkingTheCloseSettings { LastMinutes = 8 })).Count);
    }
}

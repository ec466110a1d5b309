using Orchestration.Workflows.FraudScan;
using Orchestration.Workflows.FraudScan.Rules;
using Party = Orchestration.Workflows.Tests.FraudScan.DayBuilder.Party;

namespace Orchestration.Workflows.Tests.FraudScan;

[TestClass]
public sealed class FrontRunningRuleTests
{
    static readonly FrontRunningRule Rule = new(new FrontRunningSettings());

    static readonly Party House = new("H1", Firm: "F1", Capacity: Capacity.Principal);

    /// <summary>A day whose median order is 100: a client order is a block at 10 × 100 = 1,000 (the hour's volume is small).</summary>
    static DayBuilder Day()
    {
        var day = new DayBuilder();
        for (int i = 0; i < 20; i++)
        {
            day.New(i * 30, $"B{i}", Side.Sell, 100, 101, firm: "F7");
        }

        return day;
    }

    /// <summary>The firm's own desk trading both sides all day: 300 bought, then 300 sold, every two minutes from 09:30 to 13:30 UTC-adjusted seconds.</summary>
    static void MarketMaking(DayBuilder day, Party desk, double from, double until)
    {
        for (double t = from, k = 0; t < until; t += 120, k++)
        {
            day.Fill(t, desk, k % 2 == 0 ? Side.Buy : Side.Sell, 300);
        }
    }

    [TestMethod]
    public void Scan_PrincipalBuyThreeMinutesBeforeAClientBlockOfTheSameFirm_OneAlertWithBoth()
    {
        // The old rule looked back 60 s only: a firm trading three minutes ahead went unseen.
        DayBuilder day = Day();
        MarketEvent ahead = day.Fill(1000, House, Side.Buy, 500);
        MarketEvent block = day.New(1180, "C1", Side.Buy, 2000, firm: "F1");

        Alert alert = day.Scan(Rule).Single();

        CollectionAssert.AreEqual(new[] { ahead.EventId, block.EventId }, alert.EventIds.ToArray());
        CollectionAssert.AreEqual(new[] { "C1", "H1" }, alert.Accounts.ToArray());
        Assert.IsTrue(alert.Score is > 50 and <= 100, $"score {alert.Score}");
    }

    [TestMethod]
    public void Scan_SeveralSmallPrincipalTradesOverFourMinutes_OneAlertWithAllOfThem()
    {
        DayBuilder day = Day();
        var ahead = new List<MarketEvent>();
        for (int k = 0; k < 4; k++)
        {
            ahead.Add(day.Fill(1000 + (k * 60), House, Side.Sell, 100));
        }

        MarketEvent block = day.New(1250, "C1", Side.Sell, 1500, firm: "F1");

        Alert alert = day.Scan(Rule).Single();

        CollectionAssert.AreEqual(ahead.Select(a => a.EventId).Append(block.EventId).ToArray(), alert.EventIds.ToArray());
    }

    [TestMethod]
    [DataRow(1301.0, 2000L, "F1", Side.Buy, DisplayName = "client block 301 s later")]
    [DataRow(1030.0, 999L, "F1", Side.Buy, DisplayName = "a small client order, under 10 × the median")]
    [DataRow(1030.0, 2000L, "F2", Side.Buy, DisplayName = "client of another firm")]
    [DataRow(1030.0, 2000L, "F1", Side.Sell, DisplayName = "the desk traded the other way")]
    public void Scan_OutsideOneCondition_NoAlert(double orderAt, long quantity, string firm, Side side)
    {
        DayBuilder day = Day();
        day.Fill(1000, House, Side.Buy, 500);
        day.New(orderAt, "C1", side, quantity, firm: firm);

        Assert.AreEqual(0, day.Scan(Rule).Count);
    }

    [TestMethod]
    public void Scan_ClientOrderSmallAgainstTheHoursVolume_NotABlock_NoAlert()
    {
        // 2,000 is 20 × the median order, a block for the old rule; but the symbol traded 1,000,000 in the last hour.
        DayBuilder day = Day();
        day.Trade(700, "V1", "V2", 1_000_000);
        day.Fill(1000, House, Side.Buy, 500);
        day.New(1030, "C1", Side.Buy, 2000, firm: "F1");

        Assert.AreEqual(0, day.Scan(Rule).Count);
        Assert.AreEqual(1, day.Scan(new FrontRunningRule(new FrontRunningSettings { BlockVolumeShare = 0.001 })).Count);
    }

    [TestMethod]
    public void Scan_MarketMakingDeskHappensToBuyBeforeTheBlock_NoAlert_UnusualSizeAhead_Alert()
    {
        // Hard negative: the desk buys and sells 300 every two minutes all day; its buy before the block is its usual flow.
        DayBuilder day = Day();
        MarketMaking(day, House, 600, 14_000);
        day.New(7_230, "C1", Side.Buy, 2000, firm: "F1");

        Assert.AreEqual(0, day.Scan(Rule).Count);

        // The same desk buying 3,000 one way in the minutes before a later block is not its usual flow.
        day.Fill(14_100, House, Side.Buy, 1500);
        day.Fill(14_200, House, Side.Buy, 1500);
        day.New(14_300, "C1", Side.Buy, 2000, firm: "F1");

        Assert.AreEqual(1, day.Scan(Rule).Count);
    }

    [TestMethod]
    public void Scan_AgencyTradeAhead_NoAlert()
    {
        DayBuilder day = Day();
        day.Fill(1000, new Party("C2", Firm: "F1"), Side.Buy, 500);
        day.New(1030, "C1", Side.Buy, 2000, firm: "F1");

        Assert.AreEqual(0, day.Scan(Rule).Count);
    }

    [TestMethod]
    public void Scan_PrincipalTradesAfterTheClientBlock_AHedge_NoAlert()
    {
        DayBuilder day = Day();
        day.New(1000, "C1", Side.Buy, 2000, firm: "F1");
        day.Fill(1030, House, Side.Buy, 500);
        day.Fill(1090, House, Side.Buy, 500);

        Assert.AreEqual(0, day.Scan(Rule).Count);
    }

    [TestMethod]
    public void Scan_AheadThenUnwoundAtAProfit_EvidenceHasTheUnwindAndTheScoreIsHigher()
    {
        DayBuilder plain = Day();
        plain.Fill(1000, House, Side.Buy, 500, 100);
        plain.New(1100, "C1", Side.Buy, 2000, firm: "F1");

        DayBuilder unwound = Day();
        unwound.Fill(1000, House, Side.Buy, 500, 100);
        unwound.New(1100, "C1", Side.Buy, 2000, firm: "F1");
        MarketEvent sold = unwound.Fill(1200, House, Side.Sell, 500, 100.8);

        Alert before = plain.Scan(Rule).Single();
        Alert after = unwound.Scan(Rule).Single();

        CollectionAssert.Contains(after.EventIds.ToArray(), sold.EventId);
        Assert.IsTrue(after.Score > before.Score, $"{after.Score} vs {before.Score}");
    }

    [TestMethod]
    public void Scan_DeskTradesAfterOneBlockThenAnotherClientsBlock_TheyFollowTheFirst_NoAlert()
    {
        // Hard negative: the desk hedges after client C1's block; client C2's block minutes later is not what it traded ahead of.
        DayBuilder day = Day();
        day.New(1000, "C1", Side.Buy, 2000, firm: "F1");
        day.Fill(1060, House, Side.Buy, 500);
        day.Fill(1090, House, Side.Buy, 500);
        day.New(1200, "C2", Side.Buy, 3000, firm: "F1");

        Assert.AreEqual(0, day.Scan(Rule).Count);
    }

    [TestMethod]
    public void Scan_TwoBlocksRightAfterTheTradesAhead_OneCaseWithTheFirst()
    {
        DayBuilder day = Day();
        MarketEvent ahead = day.Fill(1000, House, Side.Buy, 500);
        MarketEvent first = day.New(1020, "C1", Side.Buy, 2000, firm: "F1");
        day.New(1040, "C2", Side.Buy, 3000, firm: "F1");

        CollectionAssert.AreEqual(new[] { ahead.EventId, first.EventId }, day.Scan(Rule).Single().EventIds.ToArray());
    }
}

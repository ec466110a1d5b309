using Orchestration.Workflows.FraudScan;
using Orchestration.Workflows.FraudScan.Rules;
using Party = Orchestration.Workflows.Tests.FraudScan.DayBuilder.Party;

namespace Orchestration.Workflows.Tests.FraudScan;

[TestClass]
public sealed class FrontRunningRuleTests
{
    static readonly FrontRunningRule Rule = new(new FrontRunningSettings());

    static readonly Party House = new("H1", Firm: "F1", Capacity: Capacity.Principal);

    /// <summary>A day whose median order is 100: a client order is large at 20 × 100 = 2,000.</summary>
    static DayBuilder Day()
    {
        var day = new DayBuilder();
        for (int i = 0; i < 20; i++)
        {
            day.New(i * 30, $"B{i}", Side.Sell, 100, 101, firm: "F7");
        }

        return day;
    }

    [TestMethod]
    public void Scan_PrincipalBuyThenLargeClientBuyOfSameFirm_OneAlertWithBoth()
    {
        DayBuilder day = Day();
        MarketEvent ahead = day.Fill(1000, House, Side.Buy, 500);
        MarketEvent order = day.New(1030, "C1", Side.Buy, 2000, firm: "F1");

        Alert alert = day.Scan(Rule).Single();

        CollectionAssert.AreEqual(new[] { ahead.EventId, order.EventId }, alert.EventIds.ToArray());
        CollectionAssert.AreEqual(new[] { "C1", "H1" }, alert.Accounts.ToArray());
        Assert.IsTrue(alert.Score is > 50 and <= 100, $"score {alert.Score}");
    }

    [TestMethod]
    [DataRow(1061.0, 2000L, "F1", Side.Buy, DisplayName = "client order 61 s later")]
    [DataRow(1030.0, 1999L, "F1", Side.Buy, DisplayName = "client order under 20 × median")]
    [DataRow(1030.0, 2000L, "F2", Side.Buy, DisplayName = "client of another firm")]
    [DataRow(1030.0, 2000L, "F1", Side.Sell, DisplayName = "client order the other way")]
    public void Scan_OutsideOneCondition_NoAlert(double orderAt, long quantity, string firm, Side side)
    {
        DayBuilder day = Day();
        day.Fill(1000, House, Side.Buy, 500);
        day.New(orderAt, "C1", side, quantity, firm: firm);

        Assert.AreEqual(0, day.Scan(Rule).Count);
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
    public void Scan_PrincipalTradeAfterTheClientOrder_NoAlert()
    {
        DayBuilder day = Day();
        day.New(1000, "C1", Side.Buy, 2000, firm: "F1");
        day.Fill(1030, House, Side.Buy, 500);

        Assert.AreEqual(0, day.Scan(Rule).Count);
    }

    [TestMethod]
    public void Scan_MinClientQuantityUnderTheMultiple_ThatQuantityIsLarge()
    {
        DayBuilder day = Day();
        day.Fill(1000, House, Side.Buy, 500);
        day.New(1030, "C1", Side.Buy, 1500, firm: "F1");

        Assert.AreEqual(1, day.Scan(new FrontRunningRule(new FrontRunningSettings { MinClientQuantity = 1500 })).Count);
    }

    [TestMethod]
    public void Scan_TwoLargeClientOrdersAfterTheSameTrade_OneCase()
    {
        DayBuilder day = Day();
        day.Fill(1000, House, Side.Buy, 500);
        day.New(1020, "C1", Side.Buy, 2000, firm: "F1");
        day.New(1040, "C2", Side.Buy, 3000, firm: "F1");

        Assert.AreEqual(3, day.Scan(Rule).Single().EventIds.Count);
    }
}

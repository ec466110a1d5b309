using Orchestration.Workflows.FraudScan;
using Orchestration.Workflows.FraudScan.Rules;
using Party = Orchestration.Workflows.Tests.FraudScan.DayBuilder.Party;

namespace Orchestration.Workflows.Tests.FraudScan;

[TestClass]
public sealed class WashTradeRuleTests
{
    static readonly WashTradeRule Rule = new(new WashTradeSettings());

    [TestMethod]
    public void Scan_BothSidesOfOneExecutionSameOwner_OneAlertWithBothFills()
    {
        var day = new DayBuilder();
        (MarketEvent buy, MarketEvent sell) = day.Trade(10, new Party("A1", "W1"), new Party("A2", "W1"), 500);

        Alert alert = day.Scan(Rule).Single();

        Assert.AreEqual(("wash-trade", DayBuilder.Symbol, 80.0), (alert.Rule, alert.Symbol, alert.Score));
        CollectionAssert.AreEqual(new[] { "A1", "A2" }, alert.Accounts.ToArray());
        CollectionAssert.AreEqual(new[] { buy.EventId, sell.EventId }, alert.EventIds.ToArray());
    }

    [TestMethod]
    public void Scan_BothSidesOfOneExecutionDifferentOwners_NoAlert()
    {
        var day = new DayBuilder();
        day.Trade(10, new Party("A1", "W1"), new Party("A2", "W2"), 500);

        Assert.AreEqual(0, day.Scan(Rule).Count);
    }

    [TestMethod]
    public void Scan_TwoCrossesWithinWindow_OneCase()
    {
        var day = new DayBuilder();
        day.Trade(10, new Party("A1", "W1"), new Party("A2", "W1"), 500);
        day.Trade(69, new Party("A2", "W1"), new Party("A1", "W1"), 500);

        Assert.AreEqual(4, day.Scan(Rule).Single().EventIds.Count);
    }

    [TestMethod]
    public void Scan_TwoCrossesFurtherApartThanWindow_TwoCases()
    {
        var day = new DayBuilder();
        day.Trade(10, new Party("A1", "W1"), new Party("A2", "W1"), 500);
        day.Trade(71, new Party("A2", "W1"), new Party("A1", "W1"), 500);

        Assert.AreEqual(2, day.Scan(Rule).Count);
    }

    [TestMethod]
    [DataRow(59.0, 100.09, 1040L, true, DisplayName = "inside every tolerance")]
    [DataRow(61.0, 100.0, 1000L, false, DisplayName = "outside the window")]
    [DataRow(30.0, 100.11, 1000L, false, DisplayName = "price beyond tolerance")]
    [DataRow(30.0, 100.0, 1060L, false, DisplayName = "quantity beyond tolerance")]
    public void Scan_BuyThenSellBySameOwner_AlertOnlyInsideWindowAndTolerances(double sellAfter, double sellPrice, long sellQuantity, bool expected)
    {
        var day = new DayBuilder();
        MarketEvent buy = day.Fill(0, "A1", Side.Buy, 1000, 100);
        MarketEvent sell = day.Fill(sellAfter, "A1", Side.Sell, sellQuantity, sellPrice);

        List<Alert> alerts = day.Scan(Rule);

        Assert.AreEqual(expected ? 1 : 0, alerts.Count);
        if (expected)
        {
            CollectionAssert.AreEqual(new[] { buy.EventId, sell.EventId }, alerts[0].EventIds.ToArray());
            Assert.IsTrue(alerts[0].Score is > 50 and < 100, $"score {alerts[0].Score}");
        }
    }

    [TestMethod]
    public void Scan_OffsettingTradesInTwoAccountsOfOneOwner_OneAlertNamingBoth()
    {
        var day = new DayBuilder();
        day.Fill(0, new Party("A1", "W1"), Side.Buy, 1000);
        day.Fill(20, new Party("A2", "W1"), Side.Sell, 1000);

        Alert alert = day.Scan(Rule).Single();

        CollectionAssert.AreEqual(new[] { "A1", "A2" }, alert.Accounts.ToArray());
        Assert.AreEqual(100.0, alert.Score);
    }

    [TestMethod]
    public void Scan_TwoBuysBySameOwner_NoAlert()
    {
        var day = new DayBuilder();
        day.Fill(0, "A1", Side.Buy, 1000);
        day.Fill(20, "A1", Side.Buy, 1000);

        Assert.AreEqual(0, day.Scan(Rule).Count);
    }
}

using Orchestration.Workflows.FraudScan;
using Orchestration.Workflows.FraudScan.Rules;

namespace Orchestration.Workflows.Tests.FraudScan;

[TestClass]
public sealed class MarkingTheCloseRuleTests
{
    static readonly MarkingTheCloseRule Rule = new(new MarkingTheCloseSettings());

    const double PeriodStart = DayBuilder.Close - 600;

    /// <summary>
    /// Last trade before the closing period at 100; in it, M buys 1,000 three times at <paramref name="prices"/> and N2
    /// sells 2,000 to N1 at 100.05 (below M's first price: not aggressive for the buyer).
    /// </summary>
    static (DayBuilder Day, List<MarketEvent> Buys) Close(long quantity, params double[] prices)
    {
        var day = new DayBuilder();
        day.Trade(PeriodStart - 100, "X1", "X2", 1000, 100);
        var buys = new List<MarketEvent>();
        for (int i = 0; i < prices.Length; i++)
        {
            buys.Add(day.Fill(PeriodStart + 100 + (i * 100), "M", Side.Buy, quantity, prices[i]));
            if (i == 0)
            {
                day.Trade(PeriodStart + 150, "N1", "N2", 2000, 100.05);
            }
        }

        return (day, buys);
    }

    [TestMethod]
    public void Scan_AggressiveBuysMostOfTheVolumeMovingThePrice_OneAlertWithThem()
    {
        (DayBuilder day, List<MarketEvent> buys) = Close(1000, 100.2, 100.4, 100.6);

        Alert alert = day.Scan(Rule).Single();

        CollectionAssert.AreEqual(buys.Select(b => b.EventId).ToArray(), alert.EventIds.ToArray());
        CollectionAssert.AreEqual(new[] { "M" }, alert.Accounts.ToArray());
        Assert.IsTrue(alert.Score is > 50 and <= 100, $"score {alert.Score}");
    }

    [TestMethod]
    public void Scan_PriceMovedUnderTheMinimum_NoAlert()
    {
        (DayBuilder day, _) = Close(1000, 100.2, 100.3, 100.45);

        Assert.AreEqual(0, day.Scan(Rule).Count);
    }

    [TestMethod]
    public void Scan_ShareUnderTheMinimum_NoAlert()
    {
        (DayBuilder day, _) = Close(200, 100.2, 100.4, 100.6);

        Assert.AreEqual(0, day.Scan(Rule).Count);
    }

    [TestMethod]
    public void Scan_ShorterPeriodLeavesTheFirstBuyOut_MoveUnderTheMinimum()
    {
        (DayBuilder day, _) = Close(1000, 100.2, 100.4, 100.6);

        Assert.AreEqual(0, day.Scan(new MarkingTheCloseRule(new MarkingTheCloseSettings { LastMinutes = 8 })).Count);
    }

    [TestMethod]
    public void Scan_AggressiveSellsPushingThePriceDown_OneAlert()
    {
        var day = new DayBuilder();
        day.Trade(PeriodStart - 100, "X1", "X2", 1000, 100);
        day.Fill(PeriodStart + 100, "M", Side.Sell, 1000, 99.8);
        day.Fill(PeriodStart + 200, "M", Side.Sell, 1000, 99.4);

        StringAssert.Contains(day.Scan(Rule).Single().Summary, "aggressive Sells");
    }
}

using Orchestration.Workflows.FraudScan;
using Orchestration.Workflows.FraudScan.Rules;

namespace Orchestration.Workflows.Tests.FraudScan;

[TestClass]
public sealed class SpoofingRuleTests
{
    static readonly SpoofingRule Rule = new(new SpoofingSettings());

    /// <summary>A day whose median order is 100 (so the size threshold is 500), plus account S layering sells from t = 100 s.</summary>
    static (DayBuilder Day, List<MarketEvent> Orders, List<MarketEvent> Cancels) Layer(int orders, long quantity, double cancelAfter, int cancelled)
    {
        var day = new DayBuilder();
        for (int i = 0; i < 20; i++)
        {
            day.New(i * 30, $"B{i}", Side.Buy, 100, 99);
        }

        List<MarketEvent> placed = [.. Enumerable.Range(0, orders).Select(i => day.New(100 + (i * 0.5), "S", Side.Sell, quantity, 101))];
        List<MarketEvent> cancels = [.. placed.Take(cancelled).Select(o => day.Cancel(new DateTime(o.Timestamp).Subtract(DayBuilder.Open).TotalSeconds + cancelAfter, o))];
        return (day, placed, cancels);
    }

    [TestMethod]
    public void Scan_ThreeOrdersCancelledWithinTenSecondsWhileBuying_OneAlertWithOrdersCancelsAndTrade()
    {
        (DayBuilder day, List<MarketEvent> orders, List<MarketEvent> cancels) = Layer(orders: 3, quantity: 100, cancelAfter: 5, cancelled: 3);
        MarketEvent buy = day.Fill(102, "S", Side.Buy, 100);

        Alert alert = day.Scan(Rule).Single();

        CollectionAssert.AreEquivalent(orders.Concat(cancels).Append(buy).Select(e => e.EventId).ToArray(), alert.EventIds.ToArray());
        CollectionAssert.Contains(alert.Accounts.ToArray(), "S");
        Assert.IsTrue(alert.Score is >= 70 and <= 100, $"score {alert.Score}");
    }

    [TestMethod]
    [DataRow(10.5, 102.0, Side.Buy, DisplayName = "cancelled after the window")]
    [DataRow(5.0, 102.0, Side.Sell, DisplayName = "no opposite trade")]
    [DataRow(5.0, 107.0, Side.Buy, DisplayName = "opposite trade after the last cancel")]
    public void Scan_OneConditionMissed_NoAlert(double cancelAfter, double tradeAt, Side tradeSide)
    {
        (DayBuilder day, _, _) = Layer(orders: 3, quantity: 100, cancelAfter, cancelled: 3);
        day.Fill(tradeAt, "S", tradeSide, 100);

        Assert.AreEqual(0, day.Scan(Rule).Count);
    }

    [TestMethod]
    [DataRow(200L, false, DisplayName = "2 orders, 400 cancelled: under minOrders and 5 × median")]
    [DataRow(250L, true, DisplayName = "2 orders, 500 cancelled: reaches 5 × median")]
    public void Scan_TwoOrders_AlertOnlyWhenCancelledQuantityReachesMultipleOfMedian(long quantity, bool expected)
    {
        (DayBuilder day, _, _) = Layer(orders: 2, quantity: quantity, cancelAfter: 5, cancelled: 2);
        day.Fill(101, "S", Side.Buy, 100);

        Assert.AreEqual(expected ? 1 : 0, day.Scan(Rule).Count);
    }

    [TestMethod]
    [DataRow(4, 3, false, DisplayName = "3 of 4 cancelled: 0.75")]
    [DataRow(5, 4, true, DisplayName = "4 of 5 cancelled: 0.8")]
    public void Scan_SomeOrdersNotCancelled_AlertOnlyAtCancelRatio(int orders, int cancelled, bool expected)
    {
        (DayBuilder day, _, _) = Layer(orders, quantity: 100, cancelAfter: 5, cancelled);
        day.Fill(102, "S", Side.Buy, 100);

        Assert.AreEqual(expected ? 1 : 0, day.Scan(Rule).Count);
    }
}

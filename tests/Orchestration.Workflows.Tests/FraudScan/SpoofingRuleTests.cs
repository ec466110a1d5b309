using Orchestration.Workflows.FraudScan;
using Orchestration.Workflows.FraudScan.Rules;

namespace Orchestration.Workflows.Tests.FraudScan;

[TestClass]
public sealed class SpoofingRuleTests
{
    static readonly SpoofingRule Rule = new(new SpoofingSettings());

    /// <summary>
    /// A book with ten resting bids of 100 at 99 and ten resting offers of 100 at 101 (each side's median order is 100, so
    /// "large" starts at 500; 1,000 displayed at the best price of each side).
    /// </summary>
    static DayBuilder Book()
    {
        var day = new DayBuilder();
        for (int i = 0; i < 10; i++)
        {
            day.New(i, $"B{i}", Side.Buy, 100, 99);
            day.New(i, $"C{i}", Side.Sell, 100, 101);
        }

        return day;
    }

    /// <summary>Account S offers <paramref name="layers"/> × <paramref name="quantity"/> one cent apart behind the best offer, from t = 100 s.</summary>
    static List<MarketEvent> Layer(DayBuilder day, int layers, long quantity, string account = "S") =>
        [.. Enumerable.Range(0, layers).Select(k => day.New(100 + (k * 0.2), account, Side.Sell, quantity, 101.01 + (k * 0.01)))];

    static List<MarketEvent> CancelAll(DayBuilder day, double seconds, IEnumerable<MarketEvent> orders) =>
        [.. orders.Select(o => day.Cancel(seconds, o))];

    [TestMethod]
    public void Scan_LayersCancelledAfterABuy_OneAlertWithOrdersCancelsAndTheBuy()
    {
        DayBuilder day = Book();
        List<MarketEvent> layers = Layer(day, 3, 400);
        MarketEvent buy = day.Fill(102, "S", Side.Buy, 100, 101);
        List<MarketEvent> cancels = CancelAll(day, 104, layers);

        Alert alert = day.Scan(Rule).Single();

        CollectionAssert.AreEquivalent(layers.Concat(cancels).Append(buy).Select(e => e.EventId).ToArray(), alert.EventIds.ToArray());
        CollectionAssert.Contains(alert.Accounts.ToArray(), "S");
        Assert.IsTrue(alert.Score is >= 75 and <= 100, $"score {alert.Score}");
    }

    [TestMethod]
    public void Scan_OneVeryLargeOrderAndSeveralBuys_OneAlertWithEveryBuy()
    {
        DayBuilder day = Book();
        List<MarketEvent> order = Layer(day, 1, 3000);
        MarketEvent[] buys = [day.Fill(101, "S", Side.Buy, 100, 101), day.Fill(102, "S", Side.Buy, 100, 101), day.Fill(103, "S", Side.Buy, 100, 101)];
        CancelAll(day, 105, order);

        Alert alert = day.Scan(Rule).Single();

        CollectionAssert.IsSubsetOf(buys.Select(b => b.EventId).ToArray(), alert.EventIds.ToArray());
    }

    /// <summary>Hard negative the old rule flagged (three quick cancels and trades on the other side): a market maker's normal quoting.</summary>
    [TestMethod]
    public void Scan_MarketMakerRequotingBothSidesInNormalSize_NoAlert()
    {
        DayBuilder day = Book();
        for (int k = 0; k < 10; k++)
        {
            double t = 100 + (k * 2);
            MarketEvent bid = day.New(t, "M", Side.Buy, 100, 100);
            MarketEvent ask = day.New(t, "M", Side.Sell, 100, 100.5);
            day.Fill(t + 0.5, "M", k % 2 == 0 ? Side.Buy : Side.Sell, 100, k % 2 == 0 ? 100 : 100.5);
            day.Cancel(t + 1, bid);
            day.Cancel(t + 1, ask);
        }

        Assert.AreEqual(0, day.Scan(Rule).Count);
    }

    /// <summary>
    /// Hard negative the old rule flagged (a quickly cancelled quantity of 5 × the median with a trade on the other side):
    /// a market maker quoting both sides in size after news, hit on its bid, pulls both quotes.
    /// </summary>
    [TestMethod]
    public void Scan_TwoSidedQuoteInSizePulledAfterAFill_NoAlert()
    {
        DayBuilder day = Book();
        MarketEvent bid = day.New(100, "M", Side.Buy, 1200, 99.5);
        MarketEvent ask = day.New(100, "M", Side.Sell, 1200, 100.5);
        day.Fill(101, "M", Side.Buy, 100, 99.5);
        day.Cancel(103, bid);
        day.Cancel(103, ask);

        Assert.AreEqual(0, day.Scan(Rule).Count);
    }

    [TestMethod]
    public void Scan_LargeRestingClientOrderCancelledAfterHours_NoAlert()
    {
        DayBuilder day = Book();
        List<MarketEvent> order = Layer(day, 1, 4000, "I");
        day.Fill(200, "I", Side.Buy, 100, 101);
        CancelAll(day, 100 + 3600, order);

        Assert.AreEqual(0, day.Scan(Rule).Count);
    }

    [TestMethod]
    [DataRow(3, 400L, 104.0, 102.0, Side.Buy, true, DisplayName = "large, quick, bought in between: spoof")]
    [DataRow(3, 150L, 104.0, 102.0, Side.Buy, false, DisplayName = "450 displayed: under 5 × the median")]
    [DataRow(3, 400L, 100 + 60.5, 102.0, Side.Buy, false, DisplayName = "taken down after the lifetime")]
    [DataRow(3, 400L, 104.0, 102.0, Side.Sell, false, DisplayName = "traded the same side, not the other")]
    [DataRow(3, 400L, 104.0, 106.0, Side.Buy, false, DisplayName = "bought only after taking it down")]
    public void Scan_Layers_AlertOnlyWhenEveryConditionHolds(int layers, long quantity, double cancelAt, double tradeAt, Side tradeSide, bool expected)
    {
        DayBuilder day = Book();
        List<MarketEvent> orders = Layer(day, layers, quantity);
        day.Fill(tradeAt, "S", tradeSide, 100, 101);
        CancelAll(day, cancelAt, orders);

        Assert.AreEqual(expected ? 1 : 0, day.Scan(Rule).Count);
    }

    [TestMethod]
    [DataRow(100L, 1, DisplayName = "100 of each 400 filled (0.25): still a spoof")]
    [DataRow(300L, 0, DisplayName = "300 of each 400 filled (0.75): the orders executed, bona fide")]
    public void Scan_LayersPartlyFilled_AlertOnlyWhileMostlyCancelled(long filledEach, int expected)
    {
        DayBuilder day = Book();
        List<MarketEvent> layers = Layer(day, 3, 400);
        day.Fill(102, "S", Side.Buy, 100, 101);
        CancelAll(day, 104, layers);

        // Fills of the layers themselves (their own order ids), against buyer X.
        var fills = new List<MarketEvent>();
        foreach ((MarketEvent layer, int k) in layers.Select((l, k) => (l, k)))
        {
            fills.Add(layer with { Timestamp = DayBuilder.At(103), EventId = $"F{k}", Type = EventType.Trade, Quantity = filledEach, ExecId = $"XF{k}" });
            fills.Add(layer with { Timestamp = DayBuilder.At(103), EventId = $"G{k}", Type = EventType.Trade, OrderId = $"OX{k}", Account = "X", Owner = "X", Side = Side.Buy, Quantity = filledEach, ExecId = $"XF{k}" });
        }

        var alerts = new List<Alert>();
        Rule.Scan(new SymbolDay(DayBuilder.Symbol, [.. day.Build().ToMarketEvents().Concat(fills).OrderBy(e => e.Timestamp)], []), alerts);

        Assert.AreEqual(expected, alerts.Count);
    }

    [TestMethod]
    public void Scan_LargeAgainstTheMedianButSmallAgainstTheDisplayedDepth_NoAlert()
    {
        // 600 offered one cent behind 10,000 already displayed by others: 0.06 × the depth it stood against.
        DayBuilder day = Book();
        day.New(50, "I", Side.Sell, 9000, 101);
        List<MarketEvent> orders = Layer(day, 1, 600);
        day.Fill(102, "S", Side.Buy, 100, 101);
        CancelAll(day, 104, orders);

        Assert.AreEqual(0, day.Scan(Rule).Count);
    }
}

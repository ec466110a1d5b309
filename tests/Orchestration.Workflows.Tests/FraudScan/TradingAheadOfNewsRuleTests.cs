using Orchestration.Workflows.FraudScan;
using Orchestration.Workflows.FraudScan.Rules;

namespace Orchestration.Workflows.Tests.FraudScan;

/// <summary>
/// The rule on a small market of lots of 100: every two minutes two owners seen once trade 100 at 100.00, and after the
/// news at 104.00 (the price the news moves to). Owners build positions of a few hundred shares: far under the old
/// rule's absolute floor of 10,000, which never fired on such a market.
/// </summary>
[TestClass]
public sealed class TradingAheadOfNewsRuleTests
{
    static readonly TradingAheadOfNewsRule Rule = new(new TradingAheadOfNewsSettings());

    /// <summary>The news comes 3 hours into the session; the lookback is the 30 minutes before.</summary>
    const double NewsAt = 3 * 3600;

    /// <summary>The alerts about owner <paramref name="owner"/>.</summary>
    static List<Alert> AlertsAbout(DayBuilder day, string owner, TradingAheadOfNewsRule? rule = null) =>
        [.. day.Scan(rule ?? Rule).Where(a => a.Summary.Contains($"Owner {owner} ", StringComparison.Ordinal))];

    /// <summary>The background market, news of <paramref name="materiality"/> at <see cref="NewsAt"/> moving the price to <paramref name="after"/>.</summary>
    static DayBuilder Day(double materiality = 0.9, double after = 104)
    {
        var day = new DayBuilder();
        for (int i = 0; i * 120 < DayBuilder.Close; i++)
        {
            double at = (i * 120) + 30;
            day.Trade(at, $"B{i}", $"S{i}", 100, at < NewsAt ? 100 : after);
        }

        day.News(NewsAt, materiality);
        return day;
    }

    /// <summary><paramref name="party"/> buys <paramref name="each"/> <paramref name="times"/> times, evenly over the 20 minutes before the news.</summary>
    static List<MarketEvent> Accumulate(DayBuilder day, DayBuilder.Party party, long each, int times = 10, Side side = Side.Buy, double end = NewsAt) =>
        [.. Enumerable.Range(0, times).Select(i => day.Fill(end - 1200 + (i * 1200.0 / times), party, side, each, 100))];

    [TestMethod]
    public void Scan_DormantOwnerBuildsAPositionInTheLookback_OneAlertWithItsBuys()
    {
        DayBuilder day = Day();
        List<MarketEvent> buys = Accumulate(day, "N", 100);

        Alert alert = AlertsAbout(day, "N").Single();

        CollectionAssert.AreEqual(buys.Select(b => b.EventId).ToArray(), alert.EventIds.ToArray());
        CollectionAssert.AreEqual(new[] { "N" }, alert.Accounts.ToArray());
        StringAssert.Contains(alert.Summary, "net Buy position of 1,000");
        Assert.IsTrue(alert.Score is > 50 and <= 100, $"score {alert.Score}");
    }

    [TestMethod]
    [DataRow(0.9, 1, DisplayName = "high materiality: alert")]
    [DataRow(0.3, 0, DisplayName = "hard negative: the same position before low-materiality news")]
    public void Scan_PositionBeforeNews_AlertOnlyForMaterialNews(double materiality, int expected)
    {
        DayBuilder day = Day(materiality);
        Accumulate(day, "N", 100);

        Assert.AreEqual(expected, AlertsAbout(day, "N").Count);
    }

    [TestMethod]
    public void Scan_PositionSplitOverTwoAccountsOfOneOwner_OneAlertNamingBoth()
    {
        // Each account's 250 is under 3 x the usual 100 an owner trades in a window; the owner's 500 is not.
        DayBuilder day = Day();
        Accumulate(day, new DayBuilder.Party("N1", "ON"), 50, times: 5);
        Accumulate(day, new DayBuilder.Party("N2", "ON"), 50, times: 5, end: NewsAt - 60);

        Alert alert = AlertsAbout(day, "ON").Single();

        CollectionAssert.AreEqual(new[] { "N1", "N2" }, alert.Accounts.ToArray());
        StringAssert.Contains(alert.Summary, "net Buy position of 500");
    }

    [TestMethod]
    public void Scan_SameSizeAsTheOwnerTradesInEveryWindow_NoAlert()
    {
        // Hard negative: an agency parent worked all day, through the news; its 1,000 before the news is its usual.
        DayBuilder day = Day();
        for (double at = 600; at < DayBuilder.Close - 600; at += 180)
        {
            day.Fill(at, "I", Side.Buy, 100, 100);
        }

        Assert.AreEqual(0, AlertsAbout(day, "I").Count);
    }

    [TestMethod]
    public void Scan_MarketMakerTwoSidedBeforeTheNews_NoAlert()
    {
        DayBuilder day = Day();
        Accumulate(day, "M", 100, times: 10);
        Accumulate(day, "M", 100, times: 10, side: Side.Sell, end: NewsAt - 30);

        Assert.AreEqual(0, AlertsAbout(day, "M").Count);
    }

    [TestMethod]
    public void Scan_PositionBuiltJustAfterTheNews_NoAlert()
    {
        DayBuilder day = Day();
        Accumulate(day, "N", 100, end: NewsAt + 1260);

        Assert.AreEqual(0, AlertsAbout(day, "N").Count);
    }

    [TestMethod]
    [DataRow(true, 0, DisplayName = "confirmation on: the news moved the price against the position")]
    [DataRow(false, 1, DisplayName = "confirmation off: either direction is flagged")]
    public void Scan_PositionThePriceMoveDoesNotReward_AlertOnlyWithoutConfirmation(bool confirm, int expected)
    {
        DayBuilder day = Day(after: 96);
        Accumulate(day, "N", 100);

        var rule = new TradingAheadOfNewsRule(new TradingAheadOfNewsSettings { ConfirmByPriceMove = confirm });

        Assert.AreEqual(expected, AlertsAbout(day, "N", rule).Count);
    }

    [TestMethod]
    public void Scan_ShortPositionBeforeBadNews_OneAlert()
    {
        DayBuilder day = Day(after: 96);
        Accumulate(day, "N", 100, side: Side.Sell);

        StringAssert.Contains(AlertsAbout(day, "N").Single().Summary, "net Sell position of 1,000");
    }

    [TestMethod]
    public void Scan_OneBlockOrderBeforeTheNews_NoAlert()
    {
        // Hard negative: a client's single block order (several fills of one order), not a position built up.
        DayBuilder day = Day();
        MarketEvent order = day.New(NewsAt - 900, "K", Side.Buy, 1000, 100.05);
        for (int i = 0; i < 4; i++)
        {
            day.FillResting(NewsAt - 900, order, 250, 100);
        }

        Assert.AreEqual(0, AlertsAbout(day, "K").Count);
    }

    [TestMethod]
    public void Scan_OrderRestingSinceBeforeTheLookbackFilledInIt_NoAlert()
    {
        // A decision taken hours before: a resting client order the market came to.
        DayBuilder day = Day();
        MarketEvent order = day.New(NewsAt - 7200, "R", Side.Buy, 1000, 100);
        for (int i = 0; i < 10; i++)
        {
            day.FillResting(NewsAt - 1200 + (i * 120), order, 100, 100);
        }

        Assert.AreEqual(0, AlertsAbout(day, "R").Count);
    }

    [TestMethod]
    [DataRow("high", 0.9, 1, DisplayName = "high as 0.9: over the default 0.7")]
    [DataRow("Medium", 0.6, 0, DisplayName = "medium as 0.6: under the default 0.7")]
    [DataRow("LOW", 0.3, 0, DisplayName = "low as 0.3: under the default 0.7")]
    public void Scan_NewsWithAMaterialityWordReadFromAFile_DrivesTheRuleLikeItsNumber(string word, double number, int expectedAlerts)
    {
        var (_, items) = EventFiles.Read($"symbol,timestamp,headline,materiality\n{DayBuilder.Symbol},2026-11-24T17:30:00Z,Takeover approach confirmed,{word}\n");
        NewsEvent read = items.News.Single();
        Assert.AreEqual(DayBuilder.At(NewsAt), read.Timestamp);

        List<Alert> fromWord = ScanWith(read.Materiality);
        List<Alert> fromNumber = ScanWith(number);

        Assert.AreEqual(expectedAlerts, fromWord.Count);
        CollectionAssert.AreEqual(fromNumber.Select(a => (a.Score, a.Summary)).ToArray(), fromWord.Select(a => (a.Score, a.Summary)).ToArray());

        static List<Alert> ScanWith(double materiality)
        {
            DayBuilder day = Day(materiality);
            Accumulate(day, "N", 100);
            return AlertsAbout(day, "N");
        }
    }
}

using Orchestration.Workflows.FraudScan;
using Orchestration.Workflows.FraudScan.Rules;

namespace Orchestration.Workflows.Tests.FraudScan;

[TestClass]
public sealed class TradingAheadOfNewsRuleTests
{
    static readonly TradingAheadOfNewsRule Rule = new(new TradingAheadOfNewsSettings());

    /// <summary>The news comes 3 hours into the session; the lookback is the 30 minutes before.</summary>
    const double NewsAt = 3 * 3600;

    /// <summary>The alerts about account N (each fill's counterparty, a fresh account, builds the opposite position).</summary>
    static List<Alert> AlertsForN(DayBuilder day) => [.. day.Scan(Rule).Where(a => a.Accounts.Contains("N"))];

    /// <summary>A day with material news at <see cref="NewsAt"/> and the first event at the open.</summary>
    static DayBuilder Day(double materiality = 0.8)
    {
        var day = new DayBuilder();
        day.Trade(0, "X1", "X2", 100);
        day.News(NewsAt, materiality);
        return day;
    }

    [TestMethod]
    public void Scan_PositionBuiltInTheLookback_OneAlertWithTheBuys()
    {
        DayBuilder day = Day();
        List<MarketEvent> buys = [.. Enumerable.Range(0, 4).Select(i => day.Fill(NewsAt - 1500 + (i * 300), "N", Side.Buy, 3000))];

        Alert alert = AlertsForN(day).Single();

        CollectionAssert.AreEqual(buys.Select(b => b.EventId).ToArray(), alert.EventIds.ToArray());
        CollectionAssert.AreEqual(new[] { "N" }, alert.Accounts.ToArray());
        Assert.IsTrue(alert.Score is > 50 and <= 100, $"score {alert.Score}");
    }

    [TestMethod]
    public void Scan_ShortPositionBuiltInTheLookback_OneAlert()
    {
        DayBuilder day = Day();
        day.Fill(NewsAt - 600, "N", Side.Sell, 10_000);

        StringAssert.Contains(AlertsForN(day).Single().Summary, "net Sell position of 10,000");
    }

    [TestMethod]
    [DataRow(9_900L, 600.0, 0.8, DisplayName = "position under the minimum")]
    [DataRow(12_000L, 1801.0, 0.8, DisplayName = "position built before the lookback")]
    [DataRow(12_000L, 600.0, 0.69, DisplayName = "news under the materiality")]
    public void Scan_OneConditionMissed_NoAlert(long quantity, double secondsBeforeNews, double materiality)
    {
        DayBuilder day = Day(materiality);
        day.Fill(NewsAt - secondsBeforeNews, "N", Side.Buy, quantity);

        Assert.AreEqual(0, AlertsForN(day).Count);
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
            day.Fill(NewsAt - 600, "N", Side.Buy, 12_000);
            return AlertsForN(day);
        }
    }

    [TestMethod]
    public void Scan_BuysOffsetBySells_NetUnderTheMinimum_NoAlert()
    {
        DayBuilder day = Day();
        day.Fill(NewsAt - 900, "N", Side.Buy, 12_000);
        day.Fill(NewsAt - 600, "N", Side.Sell, 6_000);

        Assert.AreEqual(0, AlertsForN(day).Count);
    }

    [TestMethod]
    [DataRow(3000L, false, DisplayName = "usual 3,000 a window: 12,000 is 4 ×")]
    [DataRow(2400L, true, DisplayName = "usual 2,400 a window: 12,000 is 5 ×")]
    public void Scan_AccountUsuallyTradesThatMuch_AlertOnlyAtTheMultiple(long usual, bool expected)
    {
        DayBuilder day = Day();
        for (int window = 1; window <= 5; window++)
        {
            day.Fill(NewsAt - (window * 1800) - 900, "N", Side.Buy, usual);
        }

        day.Fill(NewsAt - 600, "N", Side.Buy, 12_000);

        Assert.AreEqual(expected ? 1 : 0, AlertsForN(day).Count);
    }
}

using Orchestration.Workflows.FraudScan;
using Orchestration.Workflows.FraudScan.Rules;

namespace Orchestration.Workflows.Tests.FraudScan;

[TestClass]
public sealed class UnusualVolumeRuleTests
{
    static readonly UnusualVolumeRule Rule = new(new UnusualVolumeSettings());

    /// <summary>
    /// A day where other accounts (new ones every window) trade <paramref name="perWindow"/> in every 10-minute window and
    /// account U trades <paramref name="usual"/> in ten of them.
    /// </summary>
    static DayBuilder Day(long perWindow, long usual)
    {
        var day = new DayBuilder();
        for (int window = 0; window < 39; window++)
        {
            day.Trade((window * 600) + 300, $"B{window}", $"S{window}", perWindow);
            if (window % 3 == 0 && usual > 0)
            {
                day.Fill((window * 600) + 400, "U", Side.Buy, usual);
            }
        }

        return day;
    }

    /// <summary><paramref name="account"/> trades <paramref name="total"/> in seven fills within five minutes from 12,100 s.</summary>
    static List<MarketEvent> Burst(DayBuilder day, string account, long total) =>
        [.. Enumerable.Range(0, 7).Select(i => day.Fill(12_100 + (i * 40), account, Side.Buy, total / 7))];

    [TestMethod]
    public void Scan_AccountTradesFarAboveItsUsualWindow_OneAlertWithTheBurst()
    {
        DayBuilder day = Day(perWindow: 2000, usual: 1000);
        List<MarketEvent> burst = Burst(day, "U", 21_000);

        Alert alert = day.Scan(Rule).Single();

        CollectionAssert.IsSubsetOf(burst.Select(b => b.EventId).ToArray(), alert.EventIds.ToArray());
        CollectionAssert.AreEqual(new[] { "U" }, alert.Accounts.ToArray());
        Assert.IsTrue(alert.Score is > 50 and <= 100, $"score {alert.Score}");
    }

    [TestMethod]
    public void Scan_BurstUnderTheMinimumQuantity_NoAlert()
    {
        DayBuilder day = Day(perWindow: 2000, usual: 1000);
        Burst(day, "U", 18_900);

        Assert.AreEqual(0, day.Scan(Rule).Count);
    }

    [TestMethod]
    public void Scan_BurstUnderTheAccountMultipleInABusySymbol_NoAlert()
    {
        DayBuilder day = Day(perWindow: 10_000, usual: 2500);
        Burst(day, "U", 24_500);

        Assert.AreEqual(0, day.Scan(Rule).Count);
    }

    [TestMethod]
    public void Scan_SymbolSurgeFromTwoNewAccounts_OneAlertNamingThem()
    {
        DayBuilder day = Day(perWindow: 2000, usual: 0);
        Burst(day, "V1", 12_600);
        Burst(day, "V2", 12_600);

        Alert alert = day.Scan(Rule).Single();

        CollectionAssert.AreEqual(new[] { "V1", "V2" }, alert.Accounts.ToArray());
        StringAssert.Contains(alert.Summary, "driven by V1 and V2");
    }

    [TestMethod]
    public void Scan_SymbolSurgeSpreadOverManyAccounts_NoAlert()
    {
        DayBuilder day = Day(perWindow: 2000, usual: 0);
        for (int i = 0; i < 12; i++)
        {
            day.Fill(12_100 + (i * 20), $"V{i}", Side.Buy, 2500);
        }

        Assert.AreEqual(0, day.Scan(Rule).Count);
    }
}

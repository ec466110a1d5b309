using Orchestration.Workflows.FraudScan;
using Orchestration.Workflows.FraudScan.Rules;

namespace Orchestration.Workflows.Tests.FraudScan;

/// <summary>
/// The rule on a market of lots of 100: in every 10-minute window owners seen once trade 500 each, so the symbol's usual
/// window and its usual per-owner window are known. Ramps are a few thousand shares: far under the old rule's absolute
/// floor of 20,000, which never fired on such a market.
/// </summary>
[TestClass]
public sealed class UnusualVolumeRuleTests
{
    static readonly UnusualVolumeRule Rule = new(new UnusualVolumeSettings());

    /// <summary>When the ramps start: two hours into the session.</summary>
    const double RampAt = 2 * 3600;

    /// <summary>A day where, in every 10-minute window, <paramref name="tradesPerWindow"/> pairs of owners seen once trade 500 at 100.00.</summary>
    static DayBuilder Day(int tradesPerWindow = 4)
    {
        var day = new DayBuilder();
        for (int window = 0; window < 39; window++)
        {
            for (int k = 0; k < tradesPerWindow; k++)
            {
                day.Trade((window * 600) + 20 + (k * 560.0 / tradesPerWindow), $"B{window}-{k}", $"S{window}-{k}", 500);
            }
        }

        return day;
    }

    /// <summary>
    /// <paramref name="orders"/> buy orders of 400 over eight minutes from <paramref name="at"/>, taking through the book (limit
    /// 5 cents over the fill) or at the touch, through <paramref name="parties"/> in turn; returns the fills.
    /// </summary>
    static List<MarketEvent> Ramp(DayBuilder day, DayBuilder.Party[] parties, int orders = 8, double at = RampAt, bool through = true, Side side = Side.Buy) =>
        [.. Enumerable.Range(0, orders).Select(i => day.Take(at + (i * 480.0 / orders), parties[i % parties.Length], side, 400, side == Side.Buy ? (through ? 100.05 : 100) : (through ? 99.95 : 100), 100))];

    static List<Alert> AlertsAbout(DayBuilder day, string owner) =>
        [.. day.Scan(Rule).Where(a => a.Summary.StartsWith($"Owner {owner} ", StringComparison.Ordinal))];

    [TestMethod]
    public void Scan_DormantOwnerRampsAThinSymbol_OneAlertWithTheRamp()
    {
        // 3,200 in eight minutes: 1.6 x what the symbol trades in ten, 6.4 x an owner's usual window; silent before.
        DayBuilder day = Day();
        List<MarketEvent> ramp = Ramp(day, ["U"]);

        Alert alert = AlertsAbout(day, "U").Single();

        CollectionAssert.AreEqual(ramp.Select(f => f.EventId).ToArray(), alert.EventIds.ToArray());
        CollectionAssert.AreEqual(new[] { "U" }, alert.Accounts.ToArray());
        Assert.IsTrue(alert.Score is > 50 and <= 100, $"score {alert.Score}");
    }

    [TestMethod]
    [DataRow(4, 1, DisplayName = "thin symbol (2,000 a window): alert")]
    [DataRow(40, 0, DisplayName = "hard negative: busy symbol (20,000 a window), the same orders are small against it")]
    public void Scan_SameRampInAThinAndABusySymbol_AlertOnlyWhereItIsAMeaningfulShare(int tradesPerWindow, int expected)
    {
        DayBuilder day = Day(tradesPerWindow);
        Ramp(day, ["U"]);

        Assert.AreEqual(expected, AlertsAbout(day, "U").Count);
    }

    [TestMethod]
    public void Scan_RampSplitOverTwoAccountsOfOneOwner_OneAlertNamingBoth()
    {
        // Each account alone: four orders and 1,600, under the five orders and the symbol's usual 2,000.
        DayBuilder day = Day();
        Ramp(day, [new DayBuilder.Party("U1", "OU"), new DayBuilder.Party("U2", "OU")]);

        Alert alert = AlertsAbout(day, "OU").Single();

        CollectionAssert.AreEqual(new[] { "U1", "U2" }, alert.Accounts.ToArray());
    }

    [TestMethod]
    public void Scan_SameVolumeWorkedAtTheTouch_NoAlert()
    {
        // Hard negative: an agency algorithm's child orders priced at the best price, not through it.
        DayBuilder day = Day();
        Ramp(day, ["A"], through: false);

        Assert.AreEqual(0, AlertsAbout(day, "A").Count);
    }

    [TestMethod]
    public void Scan_OwnerTradesThatMuchInEveryWindow_NoAlert()
    {
        DayBuilder day = Day();
        for (int window = 1; window < 38; window++)
        {
            Ramp(day, ["P"], at: (window * 600) + 30);
        }

        Assert.AreEqual(0, AlertsAbout(day, "P").Count);
    }

    [TestMethod]
    public void Scan_MarketMakerHeavyTwoSidedVolume_NoAlert()
    {
        // Hard negative: quotes and fills on both sides, far more than an owner's usual window.
        DayBuilder day = Day();
        Ramp(day, ["M"], orders: 8);
        Ramp(day, ["M"], orders: 8, at: RampAt + 30, side: Side.Sell);

        Assert.AreEqual(0, AlertsAbout(day, "M").Count);
    }

    [TestMethod]
    public void Scan_OneBlockInsteadOfASeriesOfOrders_NoAlert()
    {
        DayBuilder day = Day();
        day.Take(RampAt, "B", Side.Buy, 3200, 100.05, 100);

        Assert.AreEqual(0, AlertsAbout(day, "B").Count);
    }

    [TestMethod]
    [DataRow(120.0, 1, DisplayName = "eight orders over two minutes: a series, alert")]
    [DataRow(8.0, 0, DisplayName = "hard negative: the same eight orders in eight seconds, one sweep, no alert")]
    public void Scan_SeriesSpreadOverAtLeastAMinute_AlertOnlyThen(double seconds, int expected)
    {
        DayBuilder day = Day();
        for (int i = 0; i < 8; i++)
        {
            day.Take(RampAt + (i * seconds / 8), "U", Side.Buy, 400, 100.05, 100);
        }

        Assert.AreEqual(expected, AlertsAbout(day, "U").Count);
    }
}

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
        day.Trade(609, new Party("A2", "W1"), new Party("A1", "W1"), 500);

        Assert.AreEqual(4, day.Scan(Rule).Single().EventIds.Count);
    }

    [TestMethod]
    public void Scan_TwoCrossesFurtherApartThanWindow_TwoCases()
    {
        var day = new DayBuilder();
        day.Trade(10, new Party("A1", "W1"), new Party("A2", "W1"), 500);
        day.Trade(611, new Party("A2", "W1"), new Party("A1", "W1"), 500);

        Assert.AreEqual(2, day.Scan(Rule).Count);
    }

    [TestMethod]
    public void Scan_PositionPassedAroundThreeAccountsOfOneOwner_OneAlertNamingAllThree()
    {
        var day = new DayBuilder();
        day.Trade(10, new Party("A2", "W1"), new Party("A1", "W1"), 500);
        day.Trade(40, new Party("A3", "W1"), new Party("A2", "W1"), 500);
        day.Trade(70, new Party("A1", "W1"), new Party("A3", "W1"), 500);

        Alert alert = day.Scan(Rule).Single();

        CollectionAssert.AreEqual(new[] { "A1", "A2", "A3" }, alert.Accounts.ToArray());
        Assert.AreEqual(6, alert.EventIds.Count);
    }

    /// <summary>
    /// Hard negative the old rule flagged (same owner bought and sold the same size within 60 s at about the same price):
    /// a day trader's flip against two different counterparties changes beneficial ownership both times.
    /// </summary>
    [TestMethod]
    public void Scan_FlipAgainstDifferentCounterparties_NoAlert()
    {
        var day = new DayBuilder();
        day.Fill(0, "P1", Side.Buy, 1000, 100);
        day.Fill(30, "P1", Side.Sell, 1000, 100.05);

        Assert.AreEqual(0, day.Scan(Rule).Count);
    }

    [TestMethod]
    public void Scan_TwoBuysBySameOwner_NoAlert()
    {
        var day = new DayBuilder();
        day.Fill(0, "A1", Side.Buy, 1000);
        day.Fill(20, "A1", Side.Buy, 1000);

        Assert.AreEqual(0, day.Scan(Rule).Count);
    }

    [TestMethod]
    public void Scan_PreArrangedBackAndForthBetweenTwoOwners_OneAlertWithBothExecutions()
    {
        var tape = Tape.WithMarketMaker();
        (MarketEvent b1, MarketEvent s1) = tape.Arranged(1000, seller: "A", buyer: "B", 500, 100.01, gapSeconds: 0.5);
        (MarketEvent b2, MarketEvent s2) = tape.Arranged(1060, seller: "B", buyer: "A", 500, 100.02, gapSeconds: 1);

        Alert alert = tape.Scan(Rule).Single();

        CollectionAssert.AreEqual(new[] { "A", "B" }, alert.Accounts.ToArray());
        CollectionAssert.AreEquivalent(new[] { b1.EventId, s1.EventId, b2.EventId, s2.EventId }, alert.EventIds.ToArray());
        Assert.IsTrue(alert.Score is >= 60 and <= 100, $"score {alert.Score}");
    }

    /// <summary>
    /// Hard negative the old rule flagged: in a thin symbol a prop trader buys the only market maker's offer and sells into
    /// its bid 20 s later (both quotes resting a few seconds before): the same pair, back and forth, but the maker is most
    /// of the market, so meeting it twice is what anyone trading there does.
    /// </summary>
    [TestMethod]
    public void Scan_FlipAgainstTheOnlyMarketMakerOfAThinSymbol_NoAlert()
    {
        var tape = Tape.WithMarketMaker();
        tape.Arranged(1000, seller: "M", buyer: "P", 300, 100.04, gapSeconds: 5);
        tape.Arranged(1020, seller: "P", buyer: "M", 300, 100.00, gapSeconds: 2);

        Assert.AreEqual(0, tape.Scan(Rule).Count);
    }

    [TestMethod]
    [DataRow(1060.0, 500L, 100.02, 1.0, true, DisplayName = "arranged, within every tolerance")]
    [DataRow(1000.0 + 601, 500L, 100.01, 1.0, false, DisplayName = "reversal after the window")]
    [DataRow(1060.0, 600L, 100.01, 1.0, false, DisplayName = "reversal of another size")]
    [DataRow(1060.0, 500L, 101.0, 1.0, false, DisplayName = "reversal at another price")]
    [DataRow(1060.0, 500L, 100.01, 300.0, false, DisplayName = "the reversal's orders met by chance, minutes apart")]
    public void Scan_BackAndForth_AlertOnlyWhenArrangedAndInsideTolerances(double reverseAt, long quantity, double price, double gapSeconds, bool expected)
    {
        var tape = Tape.WithMarketMaker();
        tape.Arranged(1000, seller: "A", buyer: "B", 500, 100.01, gapSeconds: 0.5);
        tape.Arranged(reverseAt, seller: "B", buyer: "A", quantity, price, gapSeconds);

        Assert.AreEqual(expected ? 1 : 0, tape.Scan(Rule).Count);
    }

    [TestMethod]
    public void Scan_PairThatMostlyTradesWithTheMarket_NoAlert()
    {
        // A and B reverse one arranged trade, but each trades 20 times as much with the market maker: their meeting is
        // no more frequent than B's share of the market predicts.
        var tape = Tape.WithMarketMaker();
        for (int i = 0; i < 20; i++)
        {
            tape.Arranged(2000 + (i * 20), seller: "M", buyer: i % 2 == 0 ? "A" : "B", 500, 100, gapSeconds: 0.2);
            tape.Arranged(2010 + (i * 20), seller: i % 2 == 0 ? "A" : "B", buyer: "M", 500, 100, gapSeconds: 0.2);
        }

        tape.Arranged(1000, seller: "A", buyer: "B", 500, 100.01, gapSeconds: 0.5);
        tape.Arranged(1060, seller: "B", buyer: "A", 500, 100.01, gapSeconds: 0.5);

        Assert.AreEqual(0, tape.Scan(Rule).Count);
    }

    /// <summary>
    /// Hard negative the old rule flagged: a retail trader's two trades both met the same one of five market makers, each
    /// a fifth of the market. Five times its share, but a one-in-25 coincidence, not a pattern.
    /// </summary>
    [TestMethod]
    public void Scan_SmallTraderMeetsTheSameOfFiveMarketMakersTwice_NoAlert()
    {
        var tape = new Tape();
        for (int i = 0; i < 50; i++)
        {
            tape.Arranged(100 + (i * 40), seller: $"M{i % 5}", buyer: $"R{i}", 300, 100, gapSeconds: 0.5);
        }

        tape.Arranged(3000, seller: "M0", buyer: "X", 300, 100, gapSeconds: 0.5);
        tape.Arranged(3030, seller: "X", buyer: "M0", 300, 100, gapSeconds: 0.5);

        Assert.AreEqual(0, tape.Scan(Rule).Count);
    }

    [TestMethod]
    [DataRow(0, 1, DisplayName = "the other trades with no one else: chance 0")]
    [DataRow(20, 0, DisplayName = "the other is a fifth of the market: 1 in 25")]
    public void Scan_ArrangedBackAndForth_AlertOnlyWhenTheMeetingsAreNoCoincidence(int otherTradesOfB, int expected)
    {
        var tape = new Tape();
        for (int i = 0; i < 100; i++)
        {
            tape.Arranged(100 + (i * 20), seller: i < otherTradesOfB ? "B" : $"M{i % 5}", buyer: $"R{i}", 300, 100, gapSeconds: 0.5);
        }

        tape.Arranged(3000, seller: "A", buyer: "B", 300, 100, gapSeconds: 0.5);
        tape.Arranged(3030, seller: "B", buyer: "A", 300, 100, gapSeconds: 0.5);

        Assert.AreEqual(expected, tape.Scan(Rule).Count);
    }

    [TestMethod]
    public void Scan_AnUnlikelyMeetingAmongManyPairs_AlertOnlyWhenMoreCoincidenceIsTolerated()
    {
        // A and B meet twice where B has 4 of the other 98 executions (a 1-in-600 coincidence on its own), but 20 other
        // pairs also traded both ways that day: 21 chances of finding such a coincidence make it about 1 in 29.
        var tape = new Tape();
        for (int i = 0; i < 20; i++)
        {
            tape.Arranged(100 + (i * 20), seller: $"M{i % 5}", buyer: $"R{i}", 300, 100, gapSeconds: 0.5);
            tape.Arranged(110 + (i * 20), seller: $"R{i}", buyer: $"M{i % 5}", 300, 100, gapSeconds: 0.5);
        }

        for (int i = 0; i < 58; i++)
        {
            tape.Arranged(1000 + (i * 20), seller: i < 4 ? "B" : $"M{i % 5}", buyer: $"Q{i}", 300, 100, gapSeconds: 0.5);
        }

        tape.Arranged(3000, seller: "A", buyer: "B", 300, 100, gapSeconds: 0.5);
        tape.Arranged(3030, seller: "B", buyer: "A", 300, 100, gapSeconds: 0.5);

        Assert.AreEqual(0, tape.Scan(Rule).Count);
        Assert.AreEqual(1, tape.Scan(new WashTradeRule(new WashTradeSettings { MaxCoincidence = 0.1 })).Count, "21 × 1/600 ≈ 1 in 29: flagged when 1 in 10 is tolerated");
    }

    /// <summary>Orders with their own ids, so a trade's two orders can be entered at different times.</summary>
    sealed class Tape
    {
        readonly List<MarketEvent> _events = [];
        int _ids;

        /// <summary>A symbol where market maker M is the other side of 20 retail trades over the morning.</summary>
        public static Tape WithMarketMaker()
        {
            var tape = new Tape();
            for (int i = 0; i < 20; i++)
            {
                if (i % 2 == 0)
                {
                    tape.Arranged(100 + (i * 40), seller: "M", buyer: $"R{i}", 300, 100, gapSeconds: 3);
                }
                else
                {
                    tape.Arranged(100 + (i * 40), seller: $"R{i}", buyer: "M", 300, 99.98, gapSeconds: 3);
                }
            }

            return tape;
        }

        /// <summary>The seller's order rests <paramref name="gapSeconds"/> before the buyer's order meets it at <paramref name="seconds"/>.</summary>
        public (MarketEvent Buy, MarketEvent Sell) Arranged(double seconds, string seller, string buyer, long quantity, double price, double gapSeconds)
        {
            string sell = Order(seconds - gapSeconds, seller, Side.Sell, quantity, price);
            string buy = Order(seconds, buyer, Side.Buy, quantity, price);
            string exec = "X" + ++_ids;
            return (Fill(seconds, buy, buyer, Side.Buy, quantity, price, exec), Fill(seconds, sell, seller, Side.Sell, quantity, price, exec));
        }

        public List<Alert> Scan(ISurveillanceRule rule)
        {
            var alerts = new List<Alert>();
            rule.Scan(new SymbolDay(DayBuilder.Symbol, [.. _events.OrderBy(e => e.Timestamp)], []), alerts);
            return alerts;
        }

        string Order(double seconds, string account, Side side, long quantity, double price)
        {
            string id = "O" + ++_ids;
            _events.Add(new MarketEvent(DayBuilder.At(seconds), "E" + ++_ids, EventType.New, id, account, account, "F1", "T1", DayBuilder.Symbol, side, price, quantity, "XNAS", Capacity.Client, string.Empty));
            return id;
        }

        MarketEvent Fill(double seconds, string order, string account, Side side, long quantity, double price, string exec)
        {
            var e = new MarketEvent(DayBuilder.At(seconds), "E" + ++_ids, EventType.Trade, order, account, account, "F1", "T1", DayBuilder.Symbol, side, price, quantity, "XNAS", Capacity.Client, exec);
            _events.Add(e);
            return e;
        }
    }
}

using System.Runtime.InteropServices;

namespace Orchestration.Workflows.FraudScan.Rules;

/// <summary>Parameters of <see cref="WashTradeRule"/> (<c>rules.wash-trade</c>).</summary>
public sealed record WashTradeSettings : SurveillanceRuleSettings
{
    /// <summary>How far apart two executions of a pair may be to undo each other; also how long a case stays open.</summary>
    public double WindowSeconds { get; init; } = 600;

    /// <summary>Largest relative price difference between the two legs of a reversal.</summary>
    public double PriceTolerance { get; init; } = 0.005;

    /// <summary>Largest relative quantity difference (to the larger of the two) between the two legs of a reversal.</summary>
    public double QuantityTolerance { get; init; } = 0.1;

    /// <summary>An execution is arranged when its buy order and its sell order were entered within this time of each other.</summary>
    public double ArrangedWithinSeconds { get; init; } = 10;

    /// <summary>
    /// How many times more the pair trades with each other than the market predicts: the smaller trader's share of its
    /// quantity traded with the other, over the other's share of the rest of the symbol's traded quantity.
    /// </summary>
    public double MinPairConcentration { get; init; } = 5;
}

/// <summary>
/// <c>wash-trade</c> (FINRA Rule 5210 and its Supplementary Material .02; Exchange Act §9(a)(1)): trades that change no
/// beneficial ownership, or pre-arranged trades that put the position straight back. Two shapes:
/// <list type="bullet">
/// <item><b>Self-cross</b>: both sides of one execution (same <c>execId</c>) belong to one owner, through any of its accounts.</item>
/// <item><b>Pre-arranged reversal</b>: owners A and B trade A→B and then B→A within <see cref="WashTradeSettings.WindowSeconds"/>,
/// the legs within <see cref="WashTradeSettings.QuantityTolerance"/> in size and <see cref="WashTradeSettings.PriceTolerance"/> in price,
/// each leg arranged (its buy and sell orders entered within <see cref="WashTradeSettings.ArrangedWithinSeconds"/> of each other),
/// and the two trade with each other at least <see cref="WashTradeSettings.MinPairConcentration"/> times more than the
/// counterparty's share of the market predicts (a trader flipping against the only market maker of a thin symbol meets it
/// because it is most of the market: concentration about 1).</item>
/// </list>
/// Matches of one owner (or pair) less than the window apart are one case. Evidence: both fills of each execution.
/// Score: a self-cross 80, a reversal 60 + 20 × closeness of the legs; +5 per further match, at most 100.
/// Passes: executions from the trades (an array by execution key), then the executions between different owners sorted by
/// pair, each pair's run examined once.
/// </summary>
public sealed class WashTradeRule(WashTradeSettings settings) : ISurveillanceRule
{
    public const string RuleName = "wash-trade";

    public string Name => RuleName;

    public void Scan(SymbolDay day, ICollection<Alert> alerts)
    {
        ArgumentNullException.ThrowIfNull(day);
        ArgumentNullException.ThrowIfNull(alerts);

        ReadOnlySpan<DayEvent> events = day.Events;
        long window = DayMath.Ticks(settings.WindowSeconds);
        long[] entered = DayMath.OrderEntryTimes(events, day.Orders);
        int[] firstSide = new int[day.Executions]; // the fill waiting for the execution's other side, else -1
        Array.Fill(firstSide, -1);
        var executions = new List<Execution>();
        var traded = new Dictionary<int, long>(); // quantity each owner took part in, by owner key
        long total = 0;
        for (int i = 0; i < events.Length; i++)
        {
            ref readonly DayEvent e = ref events[i];
            if (e.Type != EventType.Trade || e.Exec < 0)
            {
                continue;
            }

            int other = firstSide[e.Exec];
            if (other < 0)
            {
                firstSide[e.Exec] = i;
                continue;
            }

            firstSide[e.Exec] = -1;
            if (events[other].Side == e.Side)
            {
                continue;
            }

            (int buy, int sell) = e.Side == Side.Buy ? (i, other) : (other, i);
            executions.Add(new Execution(buy, sell));
            total += e.Quantity;
            CollectionsMarshal.GetValueRefOrAddDefault(traded, events[buy].Owner, out _) += e.Quantity;
            if (events[sell].Owner != events[buy].Owner)
            {
                CollectionsMarshal.GetValueRefOrAddDefault(traded, events[sell].Owner, out _) += e.Quantity;
            }
        }

        FindSelfCrosses(day, events, executions, window, alerts);
        FindReversals(day, events, executions, entered, traded, total, window, alerts);
    }

    /// <summary>One execution: the indices of its buy fill and its sell fill.</summary>
    readonly record struct Execution(int Buy, int Sell);

    const double CrossScore = 80;

    static void FindSelfCrosses(SymbolDay day, ReadOnlySpan<DayEvent> events, List<Execution> executions, long window, ICollection<Alert> alerts)
    {
        Dictionary<int, Case>? open = null;
        foreach (Execution x in executions)
        {
            int owner = events[x.Buy].Owner;
            if (events[x.Sell].Owner != owner)
            {
                continue;
            }

            open ??= [];
            long time = events[x.Buy].Timestamp;
            ref Case? c = ref CollectionsMarshal.GetValueRefOrAddDefault(open, owner, out _);
            if (c is not null && time - c.Last > window)
            {
                alerts.Add(c.Close(day, events));
                c = null;
            }

            c ??= new Case(AlertEvidence.Say($"Owner {day.Name(owner)} traded with itself"));
            c.Match(x, time, CrossScore);
        }

        if (open is not null)
        {
            foreach (Case c in open.Values)
            {
                if (c is not null)
                {
                    alerts.Add(c.Close(day, events));
                }
            }
        }
    }

    void FindReversals(SymbolDay day, ReadOnlySpan<DayEvent> events, List<Execution> executions, long[] entered, Dictionary<int, long> traded, long total, long window, ICollection<Alert> alerts)
    {
        // Executions between two different owners, grouped by the (unordered) pair, each group in time order.
        int count = 0;
        foreach (Execution x in executions)
        {
            count += events[x.Buy].Owner != events[x.Sell].Owner ? 1 : 0;
        }

        long[] pairs = new long[count];
        int[] order = new int[count];
        int n = 0;
        for (int k = 0; k < executions.Count; k++)
        {
            int a = events[executions[k].Buy].Owner, b = events[executions[k].Sell].Owner;
            if (a != b)
            {
                pairs[n] = ((long)Math.Min(a, b) << 32) | (uint)Math.Max(a, b);
                order[n++] = k;
            }
        }

        Array.Sort(pairs, order);
        long arranged = DayMath.Ticks(settings.ArrangedWithinSeconds);
        for (int start = 0; start < count;)
        {
            int end = start + 1;
            while (end < count && pairs[end] == pairs[start])
            {
                end++;
            }

            if (end - start >= 2)
            {
                Array.Sort(order, start, end - start); // executions are in time order
                ExaminePair(day, events, executions, order.AsSpan(start, end - start), entered, traded, total, window, arranged, alerts);
            }

            start = end;
        }
    }

    void ExaminePair(SymbolDay day, ReadOnlySpan<DayEvent> events, List<Execution> executions, ReadOnlySpan<int> run, ReadOnlySpan<long> entered, Dictionary<int, long> traded, long total, long window, long arranged, ICollection<Alert> alerts)
    {
        int first = events[executions[run[0]].Buy].Owner;
        bool bothWays = false;
        long together = 0;
        foreach (int k in run)
        {
            together += events[executions[k].Buy].Quantity;
            bothWays |= events[executions[k].Buy].Owner != first;
        }

        if (!bothWays)
        {
            return;
        }

        double concentration = PairConcentration(first, events[executions[run[0]].Sell].Owner, together, traded, total);
        if (concentration < settings.MinPairConcentration)
        {
            return;
        }

        Case? c = null;
        for (int j = 1; j < run.Length; j++)
        {
            Execution later = executions[run[j]];
            ref readonly DayEvent laterBuy = ref events[later.Buy];
            if (!Arranged(events, later, entered, arranged))
            {
                continue;
            }

            double best = -1;
            int match = -1;
            for (int k = j - 1; k >= 0; k--)
            {
                Execution earlier = executions[run[k]];
                ref readonly DayEvent earlierBuy = ref events[earlier.Buy];
                if (laterBuy.Timestamp - earlierBuy.Timestamp > window)
                {
                    break;
                }

                if (earlierBuy.Owner == laterBuy.Owner || !Arranged(events, earlier, entered, arranged))
                {
                    continue;
                }

                double priceGap = Math.Abs(laterBuy.Price - earlierBuy.Price) / Math.Max(laterBuy.Price, earlierBuy.Price);
                double quantityGap = Math.Abs(laterBuy.Quantity - earlierBuy.Quantity) / (double)Math.Max(laterBuy.Quantity, earlierBuy.Quantity);
                if (priceGap <= settings.PriceTolerance && quantityGap <= settings.QuantityTolerance)
                {
                    double closeness = 1 - ((DayMath.Progress(priceGap, 0, settings.PriceTolerance) + DayMath.Progress(quantityGap, 0, settings.QuantityTolerance)) / 2);
                    if (closeness > best)
                    {
                        (best, match) = (closeness, k);
                    }
                }
            }

            if (match < 0)
            {
                continue;
            }

            if (c is not null && laterBuy.Timestamp - c.Last > window)
            {
                alerts.Add(c.Close(day, events));
                c = null;
            }

            c ??= new Case(AlertEvidence.Say($"Owners {day.Name(laterBuy.Owner)} and {day.Name(events[later.Sell].Owner)} traded a position back and forth in arranged executions ({concentration:0.#} × more often with each other than the market predicts)"));
            c.Match(executions[run[match]], events[executions[run[match]].Buy].Timestamp, 60 + (20 * best));
            c.Match(later, laterBuy.Timestamp, 60 + (20 * best));
        }

        if (c is not null)
        {
            alerts.Add(c.Close(day, events));
        }
    }

    /// <summary>Both orders of the execution were entered within <paramref name="arranged"/> of each other.</summary>
    static bool Arranged(ReadOnlySpan<DayEvent> events, Execution x, ReadOnlySpan<long> entered, long arranged)
    {
        long buy = entered[events[x.Buy].Order], sell = entered[events[x.Sell].Order];
        return Math.Abs(buy - sell) <= arranged;
    }

    /// <summary>
    /// The smaller trader's share of its traded quantity that was with the other, over the other's share of the symbol's
    /// traded quantity the smaller one took no part in; infinity when the other traded with no one else.
    /// </summary>
    static double PairConcentration(int a, int b, long together, Dictionary<int, long> traded, long total)
    {
        long ta = traded.GetValueOrDefault(a), tb = traded.GetValueOrDefault(b);
        (long small, long big) = ta <= tb ? (ta, tb) : (tb, ta);
        double observed = together / (double)Math.Max(small, 1);
        double expected = (big - together) / (double)Math.Max(total - small, 1);
        return expected <= 0 ? double.PositiveInfinity : observed / expected;
    }

    /// <summary>One owner's (or pair's) matches, gathered into an alert.</summary>
    sealed class Case(string who)
    {
        readonly AlertEvidence _evidence = new();
        int _matches;
        double _best;

        public long Last { get; private set; }

        public void Match(Execution x, long time, double score)
        {
            if (!_evidence.Contains(x.Buy))
            {
                _evidence.Add(x.Buy);
                _evidence.Add(x.Sell);
                _matches++;
            }

            _best = Math.Max(_best, score);
            Last = Math.Max(Last, time);
        }

        public Alert Close(SymbolDay day, ReadOnlySpan<DayEvent> events) =>
            _evidence.ToAlert(
                RuleName,
                day,
                events,
                _best + (5 * (_matches - 1)),
                AlertEvidence.Say($"{who} ({_matches} execution(s))."));
    }
}

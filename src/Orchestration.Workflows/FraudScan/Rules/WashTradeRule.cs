using System.Runtime.InteropServices;

namespace Orchestration.Workflows.FraudScan.Rules;

/// <summary>Parameters of <see cref="WashTradeRule"/> (<c>rules.wash-trade</c>).</summary>
public sealed record WashTradeSettings : SurveillanceRuleSettings
{
    /// <summary>How far apart two executions of a pair may be to undo each other; also how long a case stays open.</summary>
    public double WindowSeconds { get; init; } = 600;

    /// <summary>Largest relative price difference between the two legs of a reversal.</summary>
    public double PriceTolerance { get; init; } = 0.005;

    /// <summary>Largest relative difference (to the larger of the two) between the sizes of a reversal's legs: a leg's size is the larger of its two orders.</summary>
    public double QuantityTolerance { get; init; } = 0.1;

    /// <summary>An execution is arranged when its buy order and its sell order were entered within this time of each other.</summary>
    public double ArrangedWithinSeconds { get; init; } = 10;

    /// <summary>
    /// Largest chance that the pair met as often as it did by coincidence, given the counterparty's share of the symbol's
    /// other executions (see <see cref="WashTradeRule"/>): the pair must trade with each other far more than the market explains.
    /// </summary>
    public double MaxCoincidence { get; init; } = 0.01;

    /// <summary>
    /// … and how many times more often than that share predicts the pair must meet: the share of the smaller trader's
    /// executions that were with the other, over the other's share of the symbol's remaining executions.
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
/// and the pair meets far more often than chance: if the trader with fewer executions met the other on each execution with
/// the probability of the other's share of the symbol's remaining executions, meeting it at least as often would have a
/// chance of at most <see cref="WashTradeSettings.MaxCoincidence"/> (multiplied by the number of pairs that traded both
/// ways in the symbol that day, as each was a chance to find a coincidence), and it meets the other at least
/// <see cref="WashTradeSettings.MinPairConcentration"/> times more often than that share predicts (a trader flipping against the only market maker of a
/// thin symbol meets it because it is most of the market: no coincidence needed).</item>
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
        long[] entered = DayMath.OrderEntries(events, day.Orders, out long[] sizes);
        int[] firstSide = new int[day.Executions]; // the fill waiting for the execution's other side, else -1
        Array.Fill(firstSide, -1);
        var executions = new List<Execution>();
        var traded = new Dictionary<int, int>(); // executions each owner took part in, by owner key
        int total = 0;
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
            total++;
            CollectionsMarshal.GetValueRefOrAddDefault(traded, events[buy].Owner, out _)++;
            if (events[sell].Owner != events[buy].Owner)
            {
                CollectionsMarshal.GetValueRefOrAddDefault(traded, events[sell].Owner, out _)++;
            }
        }

        FindSelfCrosses(day, events, executions, window, alerts);
        FindReversals(day, events, executions, new Orders(entered, sizes), traded, total, window, alerts);
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

    void FindReversals(SymbolDay day, ReadOnlySpan<DayEvent> events, List<Execution> executions, Orders entered, Dictionary<int, int> traded, int total, long window, ICollection<Alert> alerts)
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

        // The pairs that traded both ways: each is one test of "more than coincidence", so their number corrects the chance.
        var bothWays = new List<(int Start, int End)>();
        for (int start = 0; start < count;)
        {
            int end = start + 1;
            while (end < count && pairs[end] == pairs[start])
            {
                end++;
            }

            int firstBuyer = events[executions[order[start]].Buy].Owner;
            for (int k = start + 1; k < end; k++)
            {
                if (events[executions[order[k]].Buy].Owner != firstBuyer)
                {
                    Array.Sort(order, start, end - start); // executions are in time order
                    bothWays.Add((start, end));
                    break;
                }
            }

            start = end;
        }

        long arranged = DayMath.Ticks(settings.ArrangedWithinSeconds);
        foreach ((int start, int end) in bothWays)
        {
            ExaminePair(day, events, executions, order.AsSpan(start, end - start), entered, traded, total, bothWays.Count, window, arranged, alerts);
        }
    }

    void ExaminePair(SymbolDay day, ReadOnlySpan<DayEvent> events, List<Execution> executions, ReadOnlySpan<int> run, Orders entered, Dictionary<int, int> traded, int total, int tests, long window, long arranged, ICollection<Alert> alerts)
    {
        int first = events[executions[run[0]].Buy].Owner;
        int together = run.Length;
        (double chance, double concentration) = Coincidence(first, events[executions[run[0]].Sell].Owner, together, traded, total);
        double coincidence = Math.Min(1, chance * tests);
        if (coincidence > settings.MaxCoincidence || concentration < settings.MinPairConcentration)
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
                long laterSize = entered.Size(events, later), earlierSize = entered.Size(events, earlier);
                double quantityGap = Math.Abs(laterSize - earlierSize) / (double)Math.Max(Math.Max(laterSize, earlierSize), 1);
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

            c ??= new Case(AlertEvidence.Say($"Owners {day.Name(laterBuy.Owner)} and {day.Name(events[later.Sell].Owner)} traded a position back and forth in arranged executions ({together} executions with each other, {concentration:0.#} × what their market shares predict; chance of that by coincidence {coincidence:G2})"));
            c.Match(executions[run[match]], events[executions[run[match]].Buy].Timestamp, 60 + (20 * best));
            c.Match(later, laterBuy.Timestamp, 60 + (20 * best));
        }

        if (c is not null)
        {
            alerts.Add(c.Close(day, events));
        }
    }

    /// <summary>Both orders of the execution were entered within <paramref name="arranged"/> of each other.</summary>
    static bool Arranged(ReadOnlySpan<DayEvent> events, Execution x, Orders entered, long arranged)
    {
        long buy = entered.Times[events[x.Buy].Order], sell = entered.Times[events[x.Sell].Order];
        return Math.Abs(buy - sell) <= arranged;
    }

    /// <summary>By order key: when each order entered and its quantity then.</summary>
    readonly record struct Orders(long[] Times, long[] Sizes)
    {
        /// <summary>The size the leg was arranged for: the larger of its two orders (a fill may be cut short by others' orders meeting one of them first).</summary>
        public long Size(ReadOnlySpan<DayEvent> events, Execution x) =>
            Math.Max(Math.Max(Sizes[events[x.Buy].Order], Sizes[events[x.Sell].Order]), events[x.Buy].Quantity);
    }

    /// <summary>
    /// How likely it is that the pair met this often by chance: the trader with fewer executions in the symbol meets the
    /// other on each of its executions with the probability of the other's share of the executions the first took no part
    /// in; the binomial chance of at least <paramref name="together"/> meetings in its executions (0 when the other traded
    /// with no one else), and how many times that probability the observed share of meetings is (infinite then).
    /// </summary>
    static (double Chance, double Concentration) Coincidence(int a, int b, int together, Dictionary<int, int> traded, int total)
    {
        int ta = traded.GetValueOrDefault(a), tb = traded.GetValueOrDefault(b);
        (int small, int big) = ta <= tb ? (ta, tb) : (tb, ta);
        double p = (big - together) / (double)Math.Max(total - small, 1);
        double observed = together / (double)Math.Max(small, 1);
        return (DayMath.BinomialTail(small, together, p), p <= 0 ? double.PositiveInfinity : observed / p);
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

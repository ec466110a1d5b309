using System.Runtime.InteropServices;

namespace Orchestration.Workflows.FraudScan.Rules;

/// <summary>Parameters of <see cref="MarkingTheCloseRule"/> (<c>rules.marking-the-close</c>).</summary>
public sealed record MarkingTheCloseSettings : SurveillanceRuleSettings
{
    /// <summary>The closing time, UTC, on the day of the events (<c>"21:00:00"</c>: 16:00 New York in winter); executions at it are the closing cross.</summary>
    public TimeOnly CloseTimeUtc { get; init; } = new(21, 0);

    /// <summary>The closing period: this many minutes up to the close; also the length of the periods of the symbol's normal move.</summary>
    public double LastMinutes { get; init; } = 10;

    /// <summary>The owner's aggressive and closing-cross quantity as a share of the period's volume, or its share of the cross.</summary>
    public double MinShareOfVolume { get; init; } = 0.2;

    /// <summary>The closing price's move from the pre-close reference, in the owner's direction, in multiples of the symbol's normal move over a period as long.</summary>
    public double MoveMultiple { get; init; } = 4;

    /// <summary>The owner's net position change in the period (all its fills), in the direction, at least this share of its counted quantity: trading one way, not around.</summary>
    public double MinNetShare { get; init; } = 0.5;

    /// <summary>Executions of the owner in the period (aggressive or in the cross) needed for <see cref="MoveMultiple"/>; fewer need <see cref="FewExecutionsMoveMultiple"/>.</summary>
    public int MinExecutions { get; init; } = 3;

    /// <summary>The move (in normal moves) that flags an owner with fewer than <see cref="MinExecutions"/> executions: one or two trades must move the close abnormally.</summary>
    public double FewExecutionsMoveMultiple { get; init; } = 10;
}

/// <summary>
/// <c>marking-the-close</c>, after the SEC's and FINRA's description of marking the close: trading at or near the close to
/// influence the closing price. In the <see cref="MarkingTheCloseSettings.LastMinutes"/> up to <see cref="MarkingTheCloseSettings.CloseTimeUtc"/>
/// (each UTC day of the events), an owner (across its accounts) is flagged in one direction when (1) its push — its aggressive
/// trades (it was the incoming order of the execution) plus its closing-cross fills (executions at the close time) from on-close
/// orders whose limit is the cross price — makes up at least <see cref="MarkingTheCloseSettings.MinShareOfVolume"/> of the
/// period's volume, or its cross fills that share of the cross; (2) its net position change in the period is at least
/// <see cref="MarkingTheCloseSettings.MinNetShare"/> of its push; (3) the closing price (the period's last execution) and its own
/// last counted trade moved its way from the pre-close reference (the last execution before the period) by at least
/// <see cref="MarkingTheCloseSettings.MoveMultiple"/> × the symbol's normal move; and (4) it has at least
/// <see cref="MarkingTheCloseSettings.MinExecutions"/> executions or set the cross price, or else the move is at least
/// <see cref="MarkingTheCloseSettings.FewExecutionsMoveMultiple"/> × normal and more than any earlier period's. The normal move
/// is the larger of the median move over the day's earlier periods of that length (those with trades, at least three) and the
/// median non-zero change between consecutive executions, each scaled by the square root of the time when the previous trade
/// is older than a period; no earlier trade, no alert. One alert per symbol, direction and day, naming every owner that
/// qualifies. Evidence: their counted trades.
/// Score: 50 + 25 × how far the share is from the threshold to 100 % + 25 × min(1, move ÷ (3 × the needed move)).
/// Touches the day before the period once for the baseline, then the period with a dictionary per owner and per order.
/// </summary>
public sealed class MarkingTheCloseRule(MarkingTheCloseSettings settings) : ISurveillanceRule
{
    public const string RuleName = "marking-the-close";

    public string Name => RuleName;

    public void Scan(SymbolDay day, ICollection<Alert> alerts)
    {
        ArgumentNullException.ThrowIfNull(day);
        ArgumentNullException.ThrowIfNull(alerts);

        ReadOnlySpan<DayEvent> events = day.Events;
        int i = 0;
        int dayStart = 0;
        while (i < events.Length)
        {
            DateTime date = events[i].Time.Date;
            long close = date.Add(settings.CloseTimeUtc.ToTimeSpan()).Ticks;
            ScanPeriod(day, events, dayStart, close - DayMath.Ticks(settings.LastMinutes * 60), close, alerts);
            i = DayMath.FirstAtOrAfter(events, date.AddDays(1).Ticks);
            dayStart = i;
        }
    }

    void ScanPeriod(SymbolDay day, ReadOnlySpan<DayEvent> events, int dayStart, long start, long close, ICollection<Alert> alerts)
    {
        int first = DayMath.FirstAtOrAfter(events, start);
        if (first >= events.Length || events[first].Timestamp > close)
        {
            return;
        }

        (double reference, long referenceTime, double normal, double largest) = Baseline(events, dayStart, first, start, DayMath.Ticks(settings.LastMinutes * 60));
        if (double.IsNaN(reference) || !(normal > 0))
        {
            return;
        }

        var entered = new Dictionary<int, (long Time, double Limit)>();
        var pending = new Dictionary<int, (int Index, double Before)>();
        var owners = new Dictionary<int, Participation>();
        double before = reference;
        double current = reference;
        int execution = -1;
        long continuous = 0;
        long cross = 0;
        for (int i = first; i < events.Length && events[i].Timestamp <= close; i++)
        {
            ref readonly DayEvent e = ref events[i];
            if (e.Type is EventType.New or EventType.Modify)
            {
                entered[e.Order] = (e.Timestamp, e.Price);
                continue;
            }

            if (e.Type != EventType.Trade)
            {
                continue;
            }

            if (e.Exec < 0 || e.Exec != execution)
            {
                before = current;
                current = e.Price;
                execution = e.Exec;
                if (e.Timestamp >= close)
                {
                    cross += e.Quantity;
                }
                else
                {
                    continuous += e.Quantity;
                }
            }

            Participation owner = Owner(owners, e.Owner);
            owner.Fill(e.Side, e.Quantity);
            if (e.Timestamp >= close)
            {
                // An on-close order counts when its limit is the cross price (it set it); one with a limit through the price took
                // whatever price came.
                if (entered.TryGetValue(e.Order, out var on) && Math.Abs(on.Limit - e.Price) <= e.Price * 1e-9)
                {
                    owner.Add(e.Side, i, e.Quantity, e.Price, cross: true);
                }
            }
            else if (e.Exec >= 0 && pending.Remove(e.Exec, out var other))
            {
                // Both sides of the execution: the incoming order (entered later) took liquidity.
                ref readonly DayEvent o = ref events[other.Index];
                long mine = entered.TryGetValue(e.Order, out var m) ? m.Time : long.MinValue;
                long theirs = entered.TryGetValue(o.Order, out var t) ? t.Time : long.MinValue;
                int aggressor = mine > theirs ? i : theirs > mine ? other.Index : TickTest(events, i, other.Index, other.Before);
                Owner(owners, events[aggressor].Owner).Add(events[aggressor].Side, aggressor, events[aggressor].Quantity, events[aggressor].Price, cross: false);
            }
            else if (e.Exec >= 0)
            {
                pending[e.Exec] = (i, before);
            }
            else if (Aggressive(e, before))
            {
                owner.Add(e.Side, i, e.Quantity, e.Price, cross: false);
            }
        }

        foreach ((int _, (int index, double priceBefore)) in pending)
        {
            if (Aggressive(events[index], priceBefore))
            {
                Owner(owners, events[index].Owner).Add(events[index].Side, index, events[index].Quantity, events[index].Price, cross: false);
            }
        }

        if (continuous + cross == 0)
        {
            return;
        }

        long length = DayMath.Ticks(settings.LastMinutes * 60);
        double scale = Scaled(1, close - referenceTime, length) / reference / normal;
        double move = (current - reference) * scale;
        // One case per direction: the close of the symbol that day, with every owner that marked it.
        var buyCase = new CloseCase(Side.Buy);
        var sellCase = new CloseCase(Side.Sell);
        foreach ((int owner, Participation participation) in owners)
        {
            long net = participation.Bought - participation.Sold;

            // The owner's own push: from the reference to its last counted trade; the close must hold it.
            double buyMove = Math.Min(move, (participation.Buys.LastPrice - reference) * scale);
            double sellMove = Math.Min(-move, (reference - participation.Sells.LastPrice) * scale);
            Judge(buyCase, owner, participation.Buys, net, buyMove, largest / normal, continuous, cross);
            Judge(sellCase, owner, participation.Sells, -net, sellMove, largest / normal, continuous, cross);
        }

        buyCase.Report(day, events, alerts);
        sellCase.Report(day, events, alerts);
    }

    static bool Aggressive(in DayEvent trade, double before) => trade.Side == Side.Buy ? trade.Price >= before : trade.Price <= before;

    /// <summary>Neither side's entry seen in the period: a buy at or above the previous execution's price was the buyer's doing, else the seller's.</summary>
    static int TickTest(ReadOnlySpan<DayEvent> events, int a, int b, double before)
    {
        int buy = events[a].Side == Side.Buy ? a : b;
        int sell = buy == a ? b : a;
        return events[buy].Price >= before ? buy : sell;
    }

    static Participation Owner(Dictionary<int, Participation> owners, int owner)
    {
        ref Participation? p = ref CollectionsMarshal.GetValueRefOrAddDefault(owners, owner, out _);
        return p ??= new Participation();
    }

    void Judge(CloseCase found, int owner, Trades trades, long net, double move, double largest, long continuous, long cross)
    {
        long counted = trades.Aggressive + trades.Cross;
        if (trades.Evidence.Count == 0 || net < settings.MinNetShare * counted)
        {
            return;
        }

        double share = counted / (double)(continuous + cross);
        double crossShare = cross == 0 ? 0 : trades.Cross / (double)cross;
        bool few = trades.Cross == 0 && trades.Executions < settings.MinExecutions; // an on-close limit that set the cross price was chosen, not chance
        double needed = few ? settings.FewExecutionsMoveMultiple : settings.MoveMultiple;
        if (Math.Max(share, crossShare) < settings.MinShareOfVolume || move < needed || (few && move <= largest))
        {
            return;
        }

        double score = 50 + (25 * DayMath.Progress(Math.Max(share, crossShare), settings.MinShareOfVolume, 1)) + (25 * Math.Min(1, move / (3 * needed)));
        found.Add(owner, trades.Evidence, score, share, crossShare, move);
    }

    /// <summary>The owners that marked the close one way: one alert, led by the highest-scoring owner.</summary>
    sealed class CloseCase(Side side)
    {
        readonly AlertEvidence _evidence = new();
        int _owners;
        int _leader;
        double _score = double.MinValue;
        double _share;
        double _crossShare;
        double _move;

        public void Add(int owner, AlertEvidence evidence, double score, double share, double crossShare, double move)
        {
            _evidence.AddRange(evidence.Indices);
            _owners++;
            if (score > _score)
            {
                (_leader, _score, _share, _crossShare, _move) = (owner, score, share, crossShare, move);
            }
        }

        public void Report(SymbolDay day, ReadOnlySpan<DayEvent> events, ICollection<Alert> alerts)
        {
            if (_owners == 0)
            {
                return;
            }

            string others = _owners > 1 ? AlertEvidence.Say($" ({_owners - 1} more owner(s) likewise)") : string.Empty;
            alerts.Add(_evidence.ToAlert(
                RuleName,
                day,
                events,
                _score,
                AlertEvidence.Say($"Owner {day.Name(_leader)}'s aggressive and closing-cross {side}s were {_share:P0} of the closing period's volume ({_crossShare:P0} of the cross) while the close moved {_move:N1} × the symbol's normal move their way{others}.")));
        }
    }

    /// <summary>
    /// The pre-close reference (the last execution's price before <paramref name="first"/>) and the symbol's normal relative
    /// move over <paramref name="length"/>: the larger of the median move over the earlier periods of that length that have
    /// trades (at least three of them) and the median non-zero change between consecutive executions. NaN when nothing traded before.
    /// </summary>
    static (double Reference, long ReferenceTime, double Normal, double Largest) Baseline(ReadOnlySpan<DayEvent> events, int from, int first, long start, long length)
    {
        var periodMoves = new List<double>();
        var steps = new List<double>();
        double last = double.NaN;          // the last execution's price so far
        long lastTime = 0;
        double periodStartPrice = double.NaN; // the last price before the current period
        long periodStartTime = 0;
        long period = long.MinValue;
        int execution = -1;
        for (int i = from; i < first; i++)
        {
            ref readonly DayEvent e = ref events[i];
            if (e.Type != EventType.Trade || (e.Exec >= 0 && e.Exec == execution))
            {
                continue;
            }

            execution = e.Exec;
            long p = (start - e.Timestamp - 1) / length; // 0: the period just before the closing period
            if (p != period)
            {
                if (period != long.MinValue && !double.IsNaN(periodStartPrice))
                {
                    periodMoves.Add(Scaled(Math.Abs((last / periodStartPrice) - 1), lastTime - periodStartTime, length));
                }

                periodStartPrice = last;
                periodStartTime = lastTime;
                period = p;
            }

            if (!double.IsNaN(last) && e.Price != last)
            {
                steps.Add(Scaled(Math.Abs((e.Price / last) - 1), e.Timestamp - lastTime, length));
            }

            last = e.Price;
            lastTime = e.Timestamp;
        }

        if (period != long.MinValue && !double.IsNaN(periodStartPrice))
        {
            periodMoves.Add(Scaled(Math.Abs((last / periodStartPrice) - 1), lastTime - periodStartTime, length));
        }

        double largest = 0;
        foreach (double m in periodMoves)
        {
            largest = Math.Max(largest, m);
        }

        double normal = Math.Max(
            periodMoves.Count >= 3 ? DayMath.Median(CollectionsMarshal.AsSpan(periodMoves)) : 0,
            DayMath.Median(CollectionsMarshal.AsSpan(steps)));
        return (last, lastTime, normal, largest);
    }

    /// <summary>A move over <paramref name="elapsed"/> as if over <paramref name="length"/> (a random walk's moves grow with the square root of time): a thin symbol's move since a trade an hour ago is not a ten-minute move.</summary>
    static double Scaled(double move, long elapsed, long length) => elapsed <= length ? move : move / Math.Sqrt(elapsed / (double)length);

    sealed class Trades
    {
        public AlertEvidence Evidence { get; } = new();

        public long Aggressive { get; set; }

        public long Cross { get; set; }

        public int Executions { get; set; }

        /// <summary>The price of the last counted trade.</summary>
        public double LastPrice { get; set; } = double.NaN;
    }

    /// <summary>An owner's aggressive and closing-cross trades in the period, by direction, and all its fills.</summary>
    sealed class Participation
    {
        public long Bought { get; private set; }

        public long Sold { get; private set; }

        public void Fill(Side side, long quantity)
        {
            if (side == Side.Buy)
            {
                Bought += quantity;
            }
            else
            {
                Sold += quantity;
            }
        }

        public Trades Buys { get; } = new();

        public Trades Sells { get; } = new();

        public void Add(Side side, int index, long quantity, double price, bool cross)
        {
            Trades trades = side == Side.Buy ? Buys : Sells;
            if (cross)
            {
                trades.Cross += quantity;
            }
            else
            {
                trades.Aggressive += quantity;
            }

            trades.Executions++;
            trades.Evidence.Add(index);
            trades.LastPrice = price;
        }
    }
}

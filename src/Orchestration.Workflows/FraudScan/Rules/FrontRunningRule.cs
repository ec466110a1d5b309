using System.Runtime.InteropServices;

namespace Orchestration.Workflows.FraudScan.Rules;

/// <summary>Parameters of <see cref="FrontRunningRule"/> (<c>rules.front-running</c>).</summary>
public sealed record FrontRunningSettings : SurveillanceRuleSettings
{
    /// <summary>How long before the client's block the firm's own trades count as "ahead" of it; also the length of the windows of the firm's baseline.</summary>
    public double AheadWithinSeconds { get; init; } = 300;

    /// <summary>A client order is a block at this many medians of the symbol's order size…</summary>
    public double BlockOrderMultiple { get; init; } = 10;

    /// <summary>…and at this share of the symbol's volume traded in the <see cref="VolumeLookbackMinutes"/> before it.</summary>
    public double BlockVolumeShare { get; init; } = 0.005;

    /// <summary>The trailing period whose volume a block is measured against.</summary>
    public double VolumeLookbackMinutes { get; init; } = 60;

    /// <summary>The firm's net principal quantity ahead, on the client's side, at least this many × its usual principal quantity (bought + sold) per window in the symbol.</summary>
    public double AheadMultiple { get; init; } = 3;

    /// <summary>The firm's baseline needs principal trades in at least this many other windows of the day; with fewer, any net quantity ahead is unusual.</summary>
    public int MinBaselineWindows { get; init; } = 5;

    /// <summary>At least this share of the firm's principal quantity ahead is on the client's side (one-way trading, not market making).</summary>
    public double MinSameSideShare { get; init; } = 0.75;

    /// <summary>How long after the block the firm's trades the other way count as unwinding the position (raises the score only).</summary>
    public double UnwindWithinSeconds { get; init; } = 600;
}

/// <summary>
/// <c>front-running</c>, after FINRA Rule 5270 (trading ahead of customer block orders; FINRA 5320 for customer orders in
/// general): a firm trades for its own account in a security while it knows of an imminent client block in it, on the same
/// side. A client order (<c>CLIENT</c> capacity, a <c>NEW</c>) is a block when it is at least
/// <see cref="FrontRunningSettings.BlockOrderMultiple"/> × the symbol's median order size and at least
/// <see cref="FrontRunningSettings.BlockVolumeShare"/> of the symbol's volume in the <see cref="FrontRunningSettings.VolumeLookbackMinutes"/>
/// before it. Flagged when, in the <see cref="FrontRunningSettings.AheadWithinSeconds"/> before the block, the same firm's
/// <c>PRINCIPAL</c> trades in the symbol are mostly on the client's side (at least <see cref="FrontRunningSettings.MinSameSideShare"/>
/// of their quantity) and their net quantity that way is unusual for the firm: at least <see cref="FrontRunningSettings.AheadMultiple"/>
/// × the median quantity (bought + sold) of the firm's other windows of that length with principal trades in the symbol that day (a market
/// maker trading both sides all day has a baseline; a desk with principal trades in fewer than
/// <see cref="FrontRunningSettings.MinBaselineWindows"/> other windows has none). Trades within the window after the firm's
/// previous block on the same side follow that block (hedge, facilitation) and do not count for the next. Blocks that share
/// principal trades are one case. Evidence: the principal trades ahead, the block(s), and the firm's trades the other way within
/// <see cref="FrontRunningSettings.UnwindWithinSeconds"/> after (unwinding into the client's impact).
/// Score: 50 + 20 × min(1, block ÷ (3 × the block size)) + 15 × (1 − lead of the latest principal trade ÷ the window) + 15 × the share unwound at a profit.
/// Two passes: per firm with principal trades, its signed quantity per window of the day and the list of its trades.
/// </summary>
public sealed class FrontRunningRule(FrontRunningSettings settings) : ISurveillanceRule
{
    public const string RuleName = "front-running";

    public string Name => RuleName;

    public void Scan(SymbolDay day, ICollection<Alert> alerts)
    {
        ArgumentNullException.ThrowIfNull(day);
        ArgumentNullException.ThrowIfNull(alerts);

        ReadOnlySpan<DayEvent> events = day.Events;
        if (events.IsEmpty)
        {
            return;
        }

        long window = Math.Max(1, DayMath.Ticks(settings.AheadWithinSeconds));
        long start = events[0].Timestamp;
        int buckets = (int)Math.Min(1_000_000, ((events[^1].Timestamp - start) / window) + 1);
        Dictionary<int, FirmFlow>? firms = null;
        for (int i = 0; i < events.Length; i++)
        {
            ref readonly DayEvent e = ref events[i];
            if (e.Type == EventType.Trade && e.Capacity == Capacity.Principal)
            {
                firms ??= [];
                ref FirmFlow? firm = ref CollectionsMarshal.GetValueRefOrAddDefault(firms, e.Firm, out _);
                firm ??= new FirmFlow(e.Firm, buckets);
                firm.Trades.Add(i);
                firm.Gross[Math.Min(buckets - 1, (int)((e.Timestamp - start) / window))] += e.Quantity;
            }
        }

        if (firms is null)
        {
            return;
        }

        double median = double.NaN; // found at the first client order of a firm with principal trades: most symbols need none
        long lookback = DayMath.Ticks(settings.VolumeLookbackMinutes * 60);
        long trailing = 0;
        var scratch = new List<long>();
        int tail = 0;
        for (int i = 0; i < events.Length; i++)
        {
            ref readonly DayEvent e = ref events[i];
            if (e.Type == EventType.Trade && e.Side == Side.Buy)
            {
                trailing += e.Quantity;
            }
            else if (e.Type == EventType.New && e.Capacity == Capacity.Client && firms.TryGetValue(e.Firm, out FirmFlow? firm))
            {
                median = double.IsNaN(median) ? DayMath.MedianOrderSize(events) : median;
                if (e.Quantity < settings.BlockOrderMultiple * median)
                {
                    continue;
                }

                for (; events[tail].Timestamp < e.Timestamp - lookback; tail++)
                {
                    if (events[tail].Type == EventType.Trade && events[tail].Side == Side.Buy)
                    {
                        trailing -= events[tail].Quantity;
                    }
                }

                double block = Math.Max(settings.BlockOrderMultiple * median, settings.BlockVolumeShare * trailing);
                if (e.Quantity >= block)
                {
                    firm.Block(settings, events, i, window, start, block, scratch, day, alerts);
                }
            }
        }

        foreach (FirmFlow firm in firms.Values)
        {
            firm.Close(day, events, alerts);
        }
    }

    /// <summary>One firm's principal trades in the symbol, its quantity per window, and the case being built from them.</summary>
    sealed class FirmFlow(int firm, int buckets)
    {
        public List<int> Trades { get; } = [];

        /// <summary>Principal quantity traded (bought + sold) per window of the day.</summary>
        public long[] Gross { get; } = new long[buckets];

        int _next; // the first of Trades that may still be inside a later block's window
        int _lastBuyBlock = -1;
        int _lastSellBlock = -1;
        AlertEvidence? _evidence;
        int _lastAhead = -1;
        long _largest;
        double _score;
        Side _side;

        public void Block(FrontRunningSettings settings, ReadOnlySpan<DayEvent> events, int order, long window, long start, double block, List<long> scratch, SymbolDay day, ICollection<Alert> alerts)
        {
            ref readonly DayEvent client = ref events[order];
            long from = client.Timestamp - window;
            while (_next < Trades.Count && events[Trades[_next]].Timestamp < from)
            {
                _next++;
            }

            // Trades within the window after the firm's previous block on this side follow that block (its hedge or
            // facilitation), and those before it were ahead of it: neither is ahead of this one.
            int previousBlock = client.Side == Side.Buy ? _lastBuyBlock : _lastSellBlock;
            long after = previousBlock < 0 ? long.MinValue : events[previousBlock].Timestamp + window;
            if (client.Side == Side.Buy)
            {
                _lastBuyBlock = order;
            }
            else
            {
                _lastSellBlock = order;
            }

            long same = 0, other = 0;
            int first = -1, latest = -1;
            for (int k = _next; k < Trades.Count && Trades[k] < order; k++)
            {
                if (Trades[k] < previousBlock || events[Trades[k]].Timestamp < after)
                {
                    continue;
                }

                ref readonly DayEvent trade = ref events[Trades[k]];
                if (trade.Side == client.Side)
                {
                    same += trade.Quantity;
                    first = first < 0 ? Trades[k] : first;
                    latest = Trades[k];
                }
                else
                {
                    other += trade.Quantity;
                }
            }

            long net = same - other;
            if (latest < 0 || net <= 0 || same < settings.MinSameSideShare * (same + other) || net < settings.AheadMultiple * Baseline(from, client.Timestamp, window, start, settings.MinBaselineWindows, scratch))
            {
                return;
            }

            bool sameCase = _evidence is not null && _side == client.Side && first <= _lastAhead;
            if (!sameCase)
            {
                Close(day, events, alerts);
                _evidence = new AlertEvidence();
                _side = client.Side;
            }

            double bought = 0;
            for (int k = _next; k < Trades.Count && Trades[k] < order; k++)
            {
                if (events[Trades[k]].Side == client.Side && Trades[k] > previousBlock && events[Trades[k]].Timestamp >= after)
                {
                    bought += events[Trades[k]].Price * events[Trades[k]].Quantity;
                    if (Trades[k] > _lastAhead)
                    {
                        _evidence!.Add(Trades[k]);
                    }
                }
            }

            _evidence!.Add(order);
            double unwound = Unwind(events, order, client.Side, bought / same, net, DayMath.Ticks(settings.UnwindWithinSeconds), _evidence);
            _lastAhead = Math.Max(_lastAhead, latest);
            _largest = Math.Max(_largest, client.Quantity);
            double lead = client.Timestamp - events[latest].Timestamp;
            _score = Math.Max(_score, 50 + (20 * Math.Min(1, client.Quantity / (3 * block))) + (15 * (1 - Math.Min(1, lead / window))) + (15 * unwound));
        }

        /// <summary>
        /// The median quantity the firm trades for itself (bought + sold) in its other windows with principal trades (leaving
        /// out those the ahead period touches), or 0 when it traded in fewer than <paramref name="minWindows"/> of them: no
        /// ordinary activity to compare with.
        /// </summary>
        double Baseline(long from, long until, long window, long start, int minWindows, List<long> scratch)
        {
            scratch.Clear();
            int skipFrom = (int)Math.Max(0, (from - start) / window);
            int skipTo = (int)Math.Min(Gross.Length - 1, (until - start) / window);
            for (int b = 0; b < Gross.Length; b++)
            {
                if (Gross[b] != 0 && (b < skipFrom || b > skipTo))
                {
                    scratch.Add(Gross[b]);
                }
            }

            return scratch.Count < minWindows ? 0 : DayMath.Median(CollectionsMarshal.AsSpan(scratch));
        }

        /// <summary>0 to 1: how much of the position taken ahead the firm sold back (or bought back) after the block at a better price.</summary>
        double Unwind(ReadOnlySpan<DayEvent> events, int order, Side side, double averageAhead, long net, long within, AlertEvidence evidence)
        {
            long until = events[order].Timestamp + within;
            long quantity = 0;
            double value = 0;
            int k = _next;
            while (k < Trades.Count && Trades[k] < order)
            {
                k++;
            }

            for (; k < Trades.Count && events[Trades[k]].Timestamp <= until && quantity < net; k++)
            {
                ref readonly DayEvent trade = ref events[Trades[k]];
                if (trade.Side != side)
                {
                    quantity += trade.Quantity;
                    value += trade.Price * trade.Quantity;
                    evidence.Add(Trades[k]);
                }
            }

            if (quantity == 0)
            {
                return 0;
            }

            double gain = side == Side.Buy ? (value / quantity) - averageAhead : averageAhead - (value / quantity);
            return gain > 0 ? Math.Min(1, quantity / (double)net) : 0;
        }

        public void Close(SymbolDay day, ReadOnlySpan<DayEvent> events, ICollection<Alert> alerts)
        {
            if (_evidence is null)
            {
                return;
            }

            alerts.Add(_evidence.ToAlert(
                RuleName,
                day,
                events,
                _score,
                AlertEvidence.Say($"Firm {day.Name(firm)} traded {_side} for its own account, more than it usually does, shortly before a client {_side} block of {_largest:N0}.")));
            _evidence = null;
            _largest = 0;
            _score = 0;
        }
    }
}

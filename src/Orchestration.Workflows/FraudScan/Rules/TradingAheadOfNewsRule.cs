namespace Orchestration.Workflows.FraudScan.Rules;

/// <summary>Parameters of <see cref="TradingAheadOfNewsRule"/> (<c>rules.trading-ahead-of-news</c>).</summary>
public sealed record TradingAheadOfNewsSettings : SurveillanceRuleSettings
{
    /// <summary>News items at or above this materiality (0–1) are looked back from.</summary>
    public double MinMateriality { get; init; } = 0.7;

    /// <summary>The window before the news in which a position is measured; the owner's usual activity uses windows of the same length.</summary>
    public double LookbackMinutes { get; init; } = 30;

    /// <summary>The owner's net position change against its usual activity (volume per window), at least the symbol's usual per-owner window.</summary>
    public double OwnerMultiple { get; init; } = 3;

    /// <summary>The owner's net position change against everything the symbol traded in the lookback window.</summary>
    public double MinShareOfVolume { get; init; } = 0.1;

    /// <summary>The position is built by at least this many orders (a units-free safety net: accumulating, not one block).</summary>
    public int MinOrders { get; init; } = 2;

    /// <summary>Flag only a position the price after the news moves in favour of (when the symbol trades after the news).</summary>
    public bool ConfirmByPriceMove { get; init; } = true;

    /// <summary>The window after the news whose average trade price confirms the move.</summary>
    public double ConfirmMinutes { get; init; } = 30;
}

/// <summary>
/// <c>trading-ahead-of-news</c>: a beneficial owner, across its accounts, building a position just before material news
/// that is large against its own usual activity and the symbol's volume, and that the news then makes profitable. See
/// the README section for the definition and every parameter. Cost: nothing for a symbol without material news; else
/// the day's trades sorted by owner once and one pass per material item.
/// </summary>
public sealed class TradingAheadOfNewsRule(TradingAheadOfNewsSettings settings) : ISurveillanceRule
{
    public const string RuleName = "trading-ahead-of-news";

    public string Name => RuleName;

    public void Scan(SymbolDay day, ICollection<Alert> alerts)
    {
        ArgumentNullException.ThrowIfNull(day);
        ArgumentNullException.ThrowIfNull(alerts);

        ReadOnlySpan<DayEvent> events = day.Events;
        long lookback = DayMath.Ticks(settings.LookbackMinutes * 60);
        long[]? byOwner = null;
        long[]? arrivals = null;
        Dictionary<int, long>? flaggedUntil = null;
        foreach (NewsEvent news in day.News)
        {
            if (news.Materiality >= settings.MinMateriality && !events.IsEmpty)
            {
                byOwner ??= DayMath.ByOwner(events, EventType.Trade);
                arrivals ??= DayMath.OrderArrivals(events, day.Orders).Arrivals;
                flaggedUntil ??= [];
                ScanBefore(day, events, byOwner, arrivals, news, lookback, flaggedUntil, alerts);
            }
        }
    }

    void ScanBefore(SymbolDay day, ReadOnlySpan<DayEvent> events, long[] byOwner, long[] arrivals, NewsEvent news, long lookback, Dictionary<int, long> flaggedUntil, ICollection<Alert> alerts)
    {
        int start = DayMath.FirstAtOrAfter(events, news.Timestamp - lookback);
        int end = DayMath.FirstAtOrAfter(events, news.Timestamp);
        long windowVolume = 0;
        var nets = new Dictionary<int, long>();
        for (int i = start; i < end; i++)
        {
            ref readonly DayEvent trade = ref events[i];
            if (trade.Type == EventType.Trade)
            {
                windowVolume += trade.Side == Side.Buy ? trade.Quantity : 0;
                if (!DecidedInWindow(trade, arrivals, news.Timestamp - lookback))
                {
                    continue;
                }

                long signed = trade.Side == Side.Buy ? trade.Quantity : -trade.Quantity;
                nets[trade.Owner] = nets.GetValueOrDefault(trade.Owner) + signed;
            }
        }

        double usualOwnerWindow = -1;
        foreach ((int owner, long net) in nets)
        {
            long size = Math.Abs(net);
            if (size == 0 || size < settings.MinShareOfVolume * windowVolume
                || (flaggedUntil.TryGetValue(owner, out long until) && until > news.Timestamp - lookback))
            {
                continue;
            }

            if (usualOwnerWindow < 0)
            {
                usualOwnerWindow = UsualOwnerWindow(events, byOwner, news.Timestamp, lookback);
            }

            double own = OwnUsualWindow(events, byOwner, owner, news.Timestamp, lookback);
            double baseline = Math.Max(own, usualOwnerWindow);
            if (size < settings.OwnerMultiple * baseline)
            {
                continue;
            }

            Side direction = net > 0 ? Side.Buy : Side.Sell;
            var evidence = new AlertEvidence();
            double paid = 0;
            long bought = 0;
            var orders = new HashSet<int>();
            for (int i = start; i < end; i++)
            {
                ref readonly DayEvent trade = ref events[i];
                if (trade.Type == EventType.Trade && trade.Side == direction && trade.Owner == owner && DecidedInWindow(trade, arrivals, news.Timestamp - lookback))
                {
                    evidence.Add(i);
                    orders.Add(trade.Order);
                    paid += trade.Price * trade.Quantity;
                    bought += trade.Quantity;
                }
            }

            if (orders.Count < settings.MinOrders)
            {
                continue;
            }

            // The move the news made: the market's price after it against its price before the position was built (the
            // owner's own buying may have pushed the price it paid; what it knew is which way the news would move it).
            long confirm = DayMath.Ticks(settings.ConfirmMinutes * 60);
            double before = DayMath.MedianPrice(events, news.Timestamp - lookback - confirm, news.Timestamp - lookback, forward: false);
            before = double.IsNaN(before) ? paid / bought : before;
            double after = DayMath.MedianPrice(events, news.Timestamp, news.Timestamp + confirm, forward: true);
            double gain = double.IsNaN(after) ? double.NaN : (direction == Side.Buy ? after - before : before - after) / before;
            if (settings.ConfirmByPriceMove && gain <= 0)
            {
                continue;
            }

            flaggedUntil[owner] = news.Timestamp;
            double score = 50
                + (20 * DayMath.Progress(size / Math.Max(1, baseline), settings.OwnerMultiple, 3 * settings.OwnerMultiple))
                + (15 * DayMath.Progress(size / (double)Math.Max(1, windowVolume), settings.MinShareOfVolume, Math.Min(1, 3 * settings.MinShareOfVolume)))
                + (15 * news.Materiality);
            string move = double.IsNaN(gain) ? "no trade or order after the news to confirm the move" : AlertEvidence.Say($"the news moved the price {gain:+0.0%;-0.0%} in its favour");
            alerts.Add(evidence.ToAlert(
                RuleName,
                day,
                events,
                score,
                AlertEvidence.Say($"Owner {day.Name(owner)} built a net {direction} position of {size:N0} in the {settings.LookbackMinutes:0.#} minutes before \"{news.Headline}\" (materiality {news.Materiality:0.##}): {size / (double)Math.Max(1, windowVolume):0%} of the symbol's volume then, {size / Math.Max(1, baseline):0.#}x its usual activity (or the symbol's usual per-owner window, {baseline:N0}); {move}.")));
        }
    }

    /// <summary>
    /// The owner's mean volume per active window (windows of the lookback's length, aligned on the news) over the day,
    /// leaving out the lookback and the window after the news (where a position is built and unwound).
    /// </summary>
    static double OwnUsualWindow(ReadOnlySpan<DayEvent> events, long[] byOwner, int owner, long newsTime, long lookback)
    {
        int k = DayMath.FirstOf(byOwner, owner);
        long total = 0;
        int windows = 0;
        long current = long.MinValue;
        for (; k < byOwner.Length && DayMath.OwnerOf(byOwner[k]) == owner; k++)
        {
            ref readonly DayEvent trade = ref events[DayMath.IndexOf(byOwner[k])];
            long w = WindowOf(trade.Timestamp, newsTime, lookback);
            if (w is -1 or 0)
            {
                continue;
            }

            total += trade.Quantity;
            if (w != current)
            {
                windows++;
                current = w;
            }
        }

        return windows == 0 ? 0 : total / (double)windows;
    }

    /// <summary>
    /// The symbol's usual per-owner window: the median over the day's owners of each one's mean volume per active window
    /// (every owner has one say, however often it trades).
    /// </summary>
    static double UsualOwnerWindow(ReadOnlySpan<DayEvent> events, long[] byOwner, long newsTime, long lookback)
    {
        var means = new List<long>();
        int owner = -1;
        long current = long.MinValue;
        long sum = 0;
        int windows = 0;
        foreach (long key in byOwner)
        {
            ref readonly DayEvent trade = ref events[DayMath.IndexOf(key)];
            long w = WindowOf(trade.Timestamp, newsTime, lookback);
            if (DayMath.OwnerOf(key) != owner)
            {
                if (windows > 0)
                {
                    means.Add(sum / windows);
                }

                (owner, current, sum, windows) = (DayMath.OwnerOf(key), w, 0, 1);
            }
            else if (w != current)
            {
                current = w;
                windows++;
            }

            sum += trade.Quantity;
        }

        if (windows > 0)
        {
            means.Add(sum / windows);
        }

        return DayMath.Median(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(means));
    }

    /// <summary>Window -1 is the lookback, 0 the one starting at the news.</summary>
    static long WindowOf(long time, long newsTime, long lookback) =>
        time >= newsTime ? (time - newsTime) / lookback : -(((newsTime - time - 1) / lookback) + 1);

    /// <summary>
    /// Whether the fill's order was sent in the lookback (or its NEW is not in the day): a fill of an order that rested
    /// since before, a decision taken earlier, builds no position in the window.
    /// </summary>
    static bool DecidedInWindow(in DayEvent fill, long[] arrivals, long windowStart) =>
        (uint)fill.Order >= (uint)arrivals.Length || arrivals[fill.Order] == long.MinValue || arrivals[fill.Order] >= windowStart;
}

using System.Numerics;
using System.Runtime.InteropServices;

namespace Orchestration.Workflows.FraudScan.Rules;

/// <summary>The small pieces of arithmetic over a sorted day of events that several rules share.</summary>
static class DayMath
{
    public static long Ticks(double seconds) => (long)(seconds * TimeSpan.TicksPerSecond);

    /// <summary>Index of the first event at or after <paramref name="ticks"/> (events are sorted by time).</summary>
    public static int FirstAtOrAfter(ReadOnlySpan<DayEvent> events, long ticks)
    {
        int lo = 0;
        int hi = events.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (events[mid].Timestamp < ticks)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>The median quantity of the day's new orders: what "a large order" is measured against.</summary>
    public static double MedianOrderSize(ReadOnlySpan<DayEvent> events)
    {
        var sizes = new List<long>(events.Length / 2);
        foreach (ref readonly DayEvent e in events)
        {
            if (e.Type == EventType.New)
            {
                sizes.Add(e.Quantity);
            }
        }

        return Median(CollectionsMarshal.AsSpan(sizes));
    }

    /// <summary>
    /// When each order (by order key, below <paramref name="orders"/>) entered the book and with what quantity: the time
    /// and quantity of its first event (its <c>NEW</c>, or its first fill when the feed has no <c>NEW</c> for it);
    /// <see cref="long.MinValue"/> and 0 for keys not seen.
    /// </summary>
    public static long[] OrderEntries(ReadOnlySpan<DayEvent> events, int orders, out long[] quantities)
    {
        long[] entered = new long[orders];
        quantities = new long[orders];
        Array.Fill(entered, long.MinValue);
        foreach (ref readonly DayEvent e in events)
        {
            if (e.Order >= 0 && entered[e.Order] == long.MinValue)
            {
                entered[e.Order] = e.Timestamp;
                quantities[e.Order] = e.Quantity;
            }
        }

        return entered;
    }

    /// <summary>The median quantity of the day's new orders on each side: each side's usual order size (0 when it has none).</summary>
    public static (double Buy, double Sell) MedianOrderSizes(ReadOnlySpan<DayEvent> events)
    {
        int buys = 0, sells = 0;
        foreach (ref readonly DayEvent e in events)
        {
            if (e.Type == EventType.New)
            {
                buys += e.Side == Side.Buy ? 1 : 0;
                sells += e.Side == Side.Buy ? 0 : 1;
            }
        }

        long[] sizes = new long[buys + sells];
        int b = 0, s = buys;
        foreach (ref readonly DayEvent e in events)
        {
            if (e.Type == EventType.New)
            {
                sizes[e.Side == Side.Buy ? b++ : s++] = e.Quantity;
            }
        }

        return (Median(sizes.AsSpan(0, buys)), Median(sizes.AsSpan(buys)));
    }

    /// <summary>
    /// The median of <paramref name="values"/> (reordered in place) by selection, O(n) on average, not a sort; 0 when empty.
    /// The one median every baseline uses.
    /// </summary>
    public static double Median<T>(Span<T> values)
        where T : INumber<T>
    {
        if (values.IsEmpty)
        {
            return 0;
        }

        int mid = values.Length / 2;
        T upper = Select(values, mid);
        if (values.Length % 2 == 1)
        {
            return double.CreateChecked(upper);
        }

        // The lower middle is the largest value left of the upper one after selection.
        T lower = values[0];
        foreach (T v in values[1..mid])
        {
            lower = T.Max(lower, v);
        }

        return (double.CreateChecked(lower) + double.CreateChecked(upper)) / 2;
    }

    /// <summary>The <paramref name="k"/>-th smallest of <paramref name="values"/> (Hoare's selection; values reordered so that smaller ones come first).</summary>
    static T Select<T>(Span<T> values, int k)
        where T : INumber<T>
    {
        int lo = 0, hi = values.Length - 1;
        while (lo < hi)
        {
            T pivot = values[lo + ((hi - lo) / 2)];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }

                while (values[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                hi = j;
            }
            else if (k >= i)
            {
                lo = i;
            }
            else
            {
                return values[k];
            }
        }

        return values[k];
    }

    /// <summary>
    /// The chance of at least <paramref name="k"/> successes in <paramref name="n"/> independent tries of probability
    /// <paramref name="p"/> (the binomial upper tail): how surprising a count is. Summed from k upwards until the terms vanish.
    /// </summary>
    public static double BinomialTail(int n, int k, double p)
    {
        if (k <= 0)
        {
            return 1;
        }

        if (k > n || p <= 0)
        {
            return 0;
        }

        if (p >= 1)
        {
            return 1;
        }

        // log of the first term, C(n, k) p^k (1 - p)^(n - k)
        double log = (k * Math.Log(p)) + ((n - k) * Math.Log(1 - p));
        for (int i = 0; i < k; i++)
        {
            log += Math.Log(n - i) - Math.Log(i + 1);
        }

        double term = Math.Exp(log), sum = term, ratio = p / (1 - p);
        for (int j = k; j < n && term > sum * 1e-12; j++)
        {
            term *= (n - j) / (double)(j + 1) * ratio;
            sum += term;
        }

        return Math.Min(1, sum);
    }

    /// <summary>0 to 1: how far <paramref name="value"/> has gone from <paramref name="from"/> towards <paramref name="to"/>.</summary>
    public static double Progress(double value, double from, double to) =>
        to <= from ? (value >= to ? 1 : 0) : Math.Clamp((value - from) / (to - from), 0, 1);

    /// <summary>
    /// The symbol's traded volume (each execution once, by its buy side) in consecutive windows of <paramref name="window"/>
    /// ticks from <paramref name="from"/> to the day's last event: the baseline of "how much it usually trades".
    /// </summary>
    public static long[] WindowVolumes(ReadOnlySpan<DayEvent> events, long from, long window)
    {
        long[] volumes = new long[events.IsEmpty ? 0 : Math.Max(0, ((events[^1].Timestamp - from) / window) + 1)];
        foreach (ref readonly DayEvent e in events)
        {
            if (e.Type == EventType.Trade && e.Side == Side.Buy && e.Timestamp >= from)
            {
                volumes[(e.Timestamp - from) / window] += e.Quantity;
            }
        }

        return volumes;
    }

    /// <summary>
    /// For each window, the median of the windows within <paramref name="radius"/> of it (itself included): the volume
    /// expected at that time of day (the intraday profile, robust to a burst shorter than the radius).
    /// </summary>
    public static double[] LocalMedians(ReadOnlySpan<long> volumes, int radius)
    {
        double[] medians = new double[volumes.Length];
        long[] scratch = new long[Math.Min(volumes.Length, (2 * radius) + 1)];
        for (int i = 0; i < volumes.Length; i++)
        {
            int lo = Math.Max(0, i - radius);
            int hi = Math.Min(volumes.Length - 1, i + radius);
            Span<long> near = scratch.AsSpan(0, hi - lo + 1);
            volumes[lo..(hi + 1)].CopyTo(near);
            medians[i] = Median(near);
        }

        return medians;
    }

    /// <summary>
    /// The events of <paramref name="type"/> (indices into <paramref name="events"/>) grouped by beneficial owner, each
    /// owner's in time order: what ownership-based rules walk owner by owner. Each key holds the owner (high 32 bits) and
    /// the index (low 32 bits).
    /// </summary>
    public static long[] ByOwner(ReadOnlySpan<DayEvent> events, EventType type)
    {
        // A counting sort: each owner's count, owners in ascending key order, then every event to its owner's next slot.
        var next = new Dictionary<int, int>();
        int count = 0;
        foreach (ref readonly DayEvent e in events)
        {
            if (e.Type == type)
            {
                count++;
                CollectionsMarshal.GetValueRefOrAddDefault(next, e.Owner, out _)++;
            }
        }

        int[] owners = new int[next.Count];
        next.Keys.CopyTo(owners, 0);
        Array.Sort(owners);
        int start = 0;
        foreach (int owner in owners)
        {
            ref int slot = ref CollectionsMarshal.GetValueRefOrNullRef(next, owner);
            (slot, start) = (start, start + slot);
        }

        long[] keys = new long[count];
        for (int i = 0; i < events.Length; i++)
        {
            if (events[i].Type == type)
            {
                keys[CollectionsMarshal.GetValueRefOrNullRef(next, events[i].Owner)++] = ((long)events[i].Owner << 32) | (uint)i;
            }
        }

        return keys;
    }

    /// <summary>Where <paramref name="owner"/>'s keys start in <paramref name="keys"/> of <see cref="ByOwner"/> (where they would).</summary>
    public static int FirstOf(long[] keys, int owner)
    {
        int k = Array.BinarySearch(keys, (long)owner << 32);
        return k < 0 ? ~k : k;
    }

    /// <summary>The owner of a key of <see cref="ByOwner"/>.</summary>
    public static int OwnerOf(long key) => (int)(key >> 32);

    /// <summary>The event index of a key of <see cref="ByOwner"/>.</summary>
    public static int IndexOf(long key) => (int)(uint)key;

    /// <summary>
    /// When each order (by key, below <paramref name="orders"/>) first came, its NEW's time (long.MinValue when the day has
    /// none), and its limit price then.
    /// </summary>
    public static (long[] Arrivals, double[] Limits) OrderArrivals(ReadOnlySpan<DayEvent> events, int orders)
    {
        long[] arrived = new long[orders];
        double[] limits = new double[orders];
        Array.Fill(arrived, long.MinValue);
        foreach (ref readonly DayEvent e in events)
        {
            if (e.Type == EventType.New && (uint)e.Order < (uint)orders && arrived[e.Order] == long.MinValue)
            {
                arrived[e.Order] = e.Timestamp;
                limits[e.Order] = e.Price;
            }
        }

        return (arrived, limits);
    }

    /// <summary>
    /// Whether the fill <paramref name="e"/> took liquidity: its order's NEW came at the same time (within a millisecond),
    /// so it traded on arrival rather than resting first. A fill whose NEW is not in the day counts as taking.
    /// </summary>
    public static bool TookLiquidity(in DayEvent e, long[] arrivals) =>
        (uint)e.Order >= (uint)arrivals.Length || arrivals[e.Order] == long.MinValue || e.Timestamp - arrivals[e.Order] <= TimeSpan.TicksPerMillisecond;

    /// <summary>
    /// Whether the fill took liquidity with an order priced through it (a buy limited above its fill price, a sell below):
    /// an order willing to pay up and take the next levels. Unknown when the day lacks the order's NEW: then false.
    /// </summary>
    public static bool TookThrough(in DayEvent e, long[] arrivals, double[] limits) =>
        (uint)e.Order < (uint)arrivals.Length && arrivals[e.Order] != long.MinValue && TookLiquidity(e, arrivals)
        && (e.Side == Side.Buy ? limits[e.Order] > e.Price + 1e-9 : limits[e.Order] < e.Price - 1e-9);

    /// <summary>
    /// The market's price over [<paramref name="from"/>, <paramref name="until"/>): the median of its trade prices and new
    /// orders' limit prices (bids and offers around the price; a large resting order's prints do not pull it). When that
    /// span is silent, the nearest few priced events after it (<paramref name="forward"/>) or before it; NaN when none.
    /// </summary>
    public static double MedianPrice(ReadOnlySpan<DayEvent> events, long from, long until, bool forward)
    {
        const int Fallback = 8;
        var prices = new List<double>();
        int first = FirstAtOrAfter(events, from);
        int last = FirstAtOrAfter(events, until);
        for (int i = first; i < last; i++)
        {
            if (events[i].Type is EventType.Trade or EventType.New && events[i].Price > 0)
            {
                prices.Add(events[i].Price);
            }
        }

        for (int i = forward ? last : first - 1; prices.Count < Fallback && i >= 0 && i < events.Length; i += forward ? 1 : -1)
        {
            if (events[i].Type is EventType.Trade or EventType.New && events[i].Price > 0)
            {
                prices.Add(events[i].Price);
            }
        }

        if (prices.Count == 0)
        {
            return double.NaN;
        }

        prices.Sort();
        int mid = prices.Count / 2;
        return prices.Count % 2 == 1 ? prices[mid] : (prices[mid - 1] + prices[mid]) / 2;
    }
}

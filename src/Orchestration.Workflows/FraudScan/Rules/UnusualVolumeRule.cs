namespace Orchestration.Workflows.FraudScan.Rules;

/// <summary>Parameters of <see cref="UnusualVolumeRule"/> (<c>rules.unusual-volume</c>).</summary>
public sealed record UnusualVolumeSettings : SurveillanceRuleSettings
{
    /// <summary>The length of the sliding window an owner's volume is measured over; baselines use windows of the same length.</summary>
    public double WindowMinutes { get; init; } = 10;

    /// <summary>The owner's window volume against its baseline: its own usual window elsewhere in the day, at least the symbol's usual per-owner window.</summary>
    public double OwnerMultiple { get; init; } = 4;

    /// <summary>The owner's window volume against the volume the whole symbol usually trades in a window at that time of day.</summary>
    public double MinShareOfSymbol { get; init; } = 1;

    /// <summary>How far on each side of a window the symbol's usual volume for that time of day is read (the intraday profile).</summary>
    public double ProfileMinutes { get; init; } = 90;

    /// <summary>The owner's net (bought − sold) over its volume in the window: a ramp pushes one way, market making does not.</summary>
    public double MinOneSided { get; init; } = 0.8;

    /// <summary>
    /// The share of the owner's window volume taken from the book by orders priced through their fill (willing to pay up
    /// and take the next levels): a ramp pushes the price; a market maker is taken from, an agency algorithm works at the touch.
    /// </summary>
    public double MinPushingShare { get; init; } = 0.5;

    /// <summary>At least this many new orders of the owner in the window: a ramp is a series of orders, not one block (a units-free safety net).</summary>
    public int MinOrders { get; init; } = 5;

    /// <summary>The owner's fills in the window span at least this share of it: sustained trading, not one sweep of a stale order.</summary>
    public double MinSpan { get; init; } = 0.1;
}

/// <summary>
/// <c>unusual-volume</c> (ramping): a beneficial owner, across its accounts, trading in one direction far more in a window
/// than it usually does and than the symbol's other owners usually do, and enough to be a real part of what the whole
/// symbol trades at that time of day. See the README section for the definition and every parameter. Cost: the day's
/// trades and new orders sorted by owner once (O(n log n)), then a sliding window per owner (O(n)).
/// </summary>
public sealed class UnusualVolumeRule(UnusualVolumeSettings settings) : ISurveillanceRule
{
    public const string RuleName = "unusual-volume";

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

        long window = DayMath.Ticks(settings.WindowMinutes * 60);
        long from = events[0].Timestamp;
        long[] symbolVolumes = DayMath.WindowVolumes(events, from, window);
        int radius = (int)Math.Ceiling(settings.ProfileMinutes / settings.WindowMinutes);
        double[] expected = DayMath.LocalMedians(symbolVolumes, radius);
        long[] keys = DayMath.ByOwner(events, EventType.Trade);
        if (keys.Length == 0)
        {
            return;
        }

        (long[] arrivals, double[] limits) = DayMath.OrderArrivals(events, day.Orders);

        long[] newOrders = DayMath.ByOwner(events, EventType.New);

        // Each owner's volume per fixed window it traded in, owner after owner (the keys' order). The median over owners of
        // their mean window is the symbol's usual per-owner window: the baseline of an owner silent until then.
        var ownerWindows = new OwnerWindows(keys.Length);
        for (int start = 0; start < keys.Length;)
        {
            int end = OwnerEnd(keys, start);
            ownerWindows.Add(events, keys, start, end, from, window);
            start = end;
        }

        double usualOwnerWindow = ownerWindows.MedianOwnerMean();
        int bucketOffset = 0;
        for (int start = 0; start < keys.Length;)
        {
            int end = OwnerEnd(keys, start);
            int buckets = ownerWindows.CountFrom(bucketOffset, DayMath.OwnerOf(keys[start]));
            ScanOwner(day, events, arrivals, limits, newOrders, keys, start, end, ownerWindows.Slice(bucketOffset, buckets), usualOwnerWindow, (symbolVolumes, expected, radius), from, window, alerts);
            bucketOffset += buckets;
            start = end;
        }
    }

    static int OwnerEnd(long[] keys, int start)
    {
        int owner = DayMath.OwnerOf(keys[start]);
        int end = start + 1;
        while (end < keys.Length && DayMath.OwnerOf(keys[end]) == owner)
        {
            end++;
        }

        return end;
    }

    /// <summary>Sliding windows over one owner's trades; runs of flagged windows become one alert.</summary>
    void ScanOwner(SymbolDay day, ReadOnlySpan<DayEvent> events, long[] arrivals, double[] limits, long[] newOrders, long[] keys, int start, int end, OwnerWindows.Span buckets, double usualOwnerWindow, (long[] Volumes, double[] Medians, int Radius) symbol, long from, long window, ICollection<Alert> alerts)
    {
        if (buckets.Total < settings.OwnerMultiple * usualOwnerWindow)
        {
            // Its whole day cannot reach the multiple of the lowest baseline it can have.
            return;
        }

        // Sums over the sliding window: volume, net and the volume taken from the book by orders priced through.
        long volume = 0;
        long net = 0;
        long taken = 0;
        int lo = start;

        // The owner's new orders in the window, by side: a market maker quotes both sides while it trades.
        int owner = DayMath.OwnerOf(keys[start]);
        int newFirst = DayMath.FirstOf(newOrders, owner);
        int newLo = newFirst;
        int newHi = newFirst;
        long newBuys = 0;
        long newSells = 0;
        int newCount = 0;
        int runFrom = -1;
        int runTo = -1;
        double best = 0;
        string? summary = null;
        for (int hi = start; hi < end; hi++)
        {
            ref readonly DayEvent trade = ref events[DayMath.IndexOf(keys[hi])];
            volume += trade.Quantity;
            net += trade.Side == Side.Buy ? trade.Quantity : -trade.Quantity;
            taken += DayMath.TookThrough(trade, arrivals, limits) ? trade.Quantity : 0;
            while (trade.Timestamp - events[DayMath.IndexOf(keys[lo])].Timestamp >= window)
            {
                ref readonly DayEvent old = ref events[DayMath.IndexOf(keys[lo])];
                volume -= old.Quantity;
                net -= old.Side == Side.Buy ? old.Quantity : -old.Quantity;
                taken -= DayMath.TookThrough(old, arrivals, limits) ? old.Quantity : 0;
                lo++;
            }

            for (; newHi < newOrders.Length && DayMath.OwnerOf(newOrders[newHi]) == owner && events[DayMath.IndexOf(newOrders[newHi])].Timestamp <= trade.Timestamp; newHi++)
            {
                ref readonly DayEvent order = ref events[DayMath.IndexOf(newOrders[newHi])];
                (order.Side == Side.Buy ? ref newBuys : ref newSells) += order.Quantity;
                newCount++;
            }

            for (; newLo < newHi && events[DayMath.IndexOf(newOrders[newLo])].Timestamp <= trade.Timestamp - window; newLo++)
            {
                ref readonly DayEvent order = ref events[DayMath.IndexOf(newOrders[newLo])];
                (order.Side == Side.Buy ? ref newBuys : ref newSells) -= order.Quantity;
                newCount--;
            }

            long against = net > 0 ? newSells : newBuys;
            long span = trade.Timestamp - events[DayMath.IndexOf(keys[lo])].Timestamp;
            if (span < settings.MinSpan * window || newCount < settings.MinOrders || Math.Abs(net) < settings.MinOneSided * volume || taken < settings.MinPushingShare * volume
                || against > (1 - settings.MinOneSided) * (newBuys + newSells))
            {
                continue;
            }

            // The owner's usual window: the mean of its other active windows, leaving out those the window touches and
            // their neighbours (a ramp spills over a window's edges), never below the symbol's usual per-owner window.
            long firstBucket = (events[DayMath.IndexOf(keys[lo])].Timestamp - from) / window;
            long lastBucket = (trade.Timestamp - from) / window;
            (long otherVolume, int otherWindows) = buckets.Outside(firstBucket - 1, lastBucket + 1);
            double own = otherWindows == 0 ? 0 : otherVolume / (double)otherWindows;
            double baseline = Math.Max(own, usualOwnerWindow);
            if (volume < settings.OwnerMultiple * baseline)
            {
                continue;
            }

            // The symbol's usual window at that time, without this owner's own volume (its ramp is not "usual"): never above
            // the median with it, so that one is tried first.
            double symbolUsual = Math.Max(symbol.Medians[firstBucket], symbol.Medians[lastBucket]);
            if (volume < settings.MinShareOfSymbol * symbolUsual)
            {
                symbolUsual = Math.Max(UsualWithout(symbol, buckets, firstBucket), UsualWithout(symbol, buckets, lastBucket));
                if (volume < settings.MinShareOfSymbol * symbolUsual)
                {
                    continue;
                }
            }

            double score = 50
                + (25 * DayMath.Progress(volume / Math.Max(1, baseline), settings.OwnerMultiple, 3 * settings.OwnerMultiple))
                + (25 * DayMath.Progress(volume / Math.Max(1, symbolUsual), settings.MinShareOfSymbol, 3 * Math.Max(1, settings.MinShareOfSymbol)));
            if (runFrom >= 0 && lo <= runTo)
            {
                runTo = hi;
            }
            else
            {
                Flush(day, events, keys, runFrom, runTo, best, summary, alerts);
                (runFrom, runTo, best, summary) = (lo, hi, 0, null);
            }

            if (score > best)
            {
                best = score;
                string ownerName = day.Name(trade.Owner);
                summary = AlertEvidence.Say($"Owner {ownerName} traded {volume:N0} ({(net > 0 ? "net bought" : "net sold")} {Math.Abs(net):N0}) in {settings.WindowMinutes:0.#} minutes: {volume / Math.Max(1, baseline):0.#}x its usual window (or the symbol's usual per-owner window, {baseline:N0}) and {volume / Math.Max(1, symbolUsual):0.##}x what the symbol usually trades in {settings.WindowMinutes:0.#} minutes at that time ({symbolUsual:N0}).");
            }
        }

        Flush(day, events, keys, runFrom, runTo, best, summary, alerts);
    }

    /// <summary>The median of the symbol's windows within the radius of <paramref name="bucket"/>, less the owner's volume in each.</summary>
    static double UsualWithout((long[] Volumes, double[] Medians, int Radius) symbol, OwnerWindows.Span owner, long bucket)
    {
        int lo = (int)Math.Max(0, bucket - symbol.Radius);
        int hi = (int)Math.Min(symbol.Volumes.Length - 1, bucket + symbol.Radius);
        long[] near = new long[hi - lo + 1];
        for (int k = lo; k <= hi; k++)
        {
            near[k - lo] = Math.Max(0, symbol.Volumes[k] - owner.VolumeIn(k));
        }

        return DayMath.Median(near);
    }

    static void Flush(SymbolDay day, ReadOnlySpan<DayEvent> events, long[] keys, int from, int to, double score, string? summary, ICollection<Alert> alerts)
    {
        if (from < 0 || summary is null)
        {
            return;
        }

        var evidence = new AlertEvidence();
        for (int k = from; k <= to; k++)
        {
            evidence.Add(DayMath.IndexOf(keys[k]));
        }

        alerts.Add(evidence.ToAlert(RuleName, day, events, score, summary));
    }

    /// <summary>Every owner's volume per fixed window it traded in, owner after owner, windows in time order.</summary>
    sealed class OwnerWindows(int capacity)
    {
        readonly long[] _bucket = new long[capacity];
        readonly long[] _volume = new long[capacity];
        readonly int[] _owner = new int[capacity];
        int _count;

        public void Add(ReadOnlySpan<DayEvent> events, long[] keys, int start, int end, long from, long window)
        {
            long current = long.MinValue;
            for (int k = start; k < end; k++)
            {
                ref readonly DayEvent trade = ref events[DayMath.IndexOf(keys[k])];
                long bucket = (trade.Timestamp - from) / window;
                if (bucket != current)
                {
                    (_bucket[_count], _volume[_count], _owner[_count]) = (bucket, 0, trade.Owner);
                    _count++;
                    current = bucket;
                }

                _volume[_count - 1] += trade.Quantity;
            }
        }

        /// <summary>How many windows from <paramref name="offset"/> on belong to <paramref name="owner"/>.</summary>
        public int CountFrom(int offset, int owner)
        {
            int n = 0;
            while (offset + n < _count && _owner[offset + n] == owner)
            {
                n++;
            }

            return n;
        }

        /// <summary>The median over owners of each owner's mean volume per active window: every owner has one say.</summary>
        public double MedianOwnerMean()
        {
            var means = new List<long>();
            for (int i = 0; i < _count;)
            {
                int n = CountFrom(i, _owner[i]);
                long sum = 0;
                for (int k = i; k < i + n; k++)
                {
                    sum += _volume[k];
                }

                means.Add(sum / n);
                i += n;
            }

            return DayMath.Median(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(means));
        }

        public Span Slice(int offset, int count)
        {
            long total = 0;
            for (int i = offset; i < offset + count; i++)
            {
                total += _volume[i];
            }

            return new(_bucket, _volume, offset, count, total);
        }

        /// <summary>One owner's windows.</summary>
        public readonly struct Span(long[] bucket, long[] volume, int offset, int count, long total)
        {
            /// <summary>The owner's volume over the day.</summary>
            public long Total => total;

            /// <summary>The owner's volume in window <paramref name="index"/>.</summary>
            public long VolumeIn(long index)
            {
                int i = bucket.AsSpan(offset, count).BinarySearch(index);
                return i < 0 ? 0 : volume[offset + i];
            }

            /// <summary>Volume and count of the windows outside buckets <paramref name="first"/> to <paramref name="last"/>.</summary>
            public (long Volume, int Windows) Outside(long first, long last)
            {
                ReadOnlySpan<long> buckets = bucket.AsSpan(offset, count);
                int lo = buckets.BinarySearch(first);
                lo = lo < 0 ? ~lo : lo;
                long inside = 0;
                int windows = count;

                for (int i = lo; i < count && buckets[i] <= last; i++)
                {
                    inside += volume[offset + i];
                    windows--;
                }

                return (total - inside, windows);
            }
        }
    }
}

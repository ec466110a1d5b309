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

    /// <summary>The median of <paramref name="values"/> (sorted in place); 0 when empty.</summary>
    public static double Median(Span<long> values)
    {
        if (values.IsEmpty)
        {
            return 0;
        }

        values.Sort();
        int mid = values.Length / 2;
        return values.Length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2.0;
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
    /// When each order (by order key, below <paramref name="orders"/>) entered the book: the time of its first event (its
    /// <c>NEW</c>, or its first fill or cancel when the feed has no <c>NEW</c> for it); <see cref="long.MinValue"/> for keys not seen.
    /// </summary>
    public static long[] OrderEntryTimes(ReadOnlySpan<DayEvent> events, int orders)
    {
        long[] entered = new long[orders];
        Array.Fill(entered, long.MinValue);
        foreach (ref readonly DayEvent e in events)
        {
            if (e.Order >= 0 && entered[e.Order] == long.MinValue)
            {
                entered[e.Order] = e.Timestamp;
            }
        }

        return entered;
    }

    /// <summary>0 to 1: how far <paramref name="value"/> has gone from <paramref name="from"/> towards <paramref name="to"/>.</summary>
    public static double Progress(double value, double from, double to) =>
        to <= from ? (value >= to ? 1 : 0) : Math.Clamp((value - from) / (to - from), 0, 1);
}

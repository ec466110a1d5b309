using System.Runtime.InteropServices;

namespace Orchestration.Workflows.FraudScan.Rules;

/// <summary>Parameters of <see cref="UnusualVolumeRule"/> (<c>rules.unusual-volume</c>).</summary>
public sealed record UnusualVolumeSettings : SurveillanceRuleSettings
{
    /// <summary>The length of the sliding window volume is measured over; baselines use windows of the same length.</summary>
    public double WindowMinutes { get; init; } = 10;

    /// <summary>An account's window volume against the median of its own active windows that day.</summary>
    public double AccountMultiple { get; init; } = 10;

    /// <summary>The least volume that is flagged: an account's window volume, or a symbol's window volume above its median.</summary>
    public long MinQuantity { get; init; } = 20_000;

    /// <summary>The symbol's window volume against the median of all its windows that day.</summary>
    public double SymbolMultiple { get; init; } = 5;

    /// <summary>A symbol surge is flagged only when this many accounts (or fewer) account for the excess over the median.</summary>
    public int MaxAccounts { get; init; } = 2;
}

/// <summary>
/// <c>unusual-volume</c> (ramping): volume far above the normal, driven by one or two accounts. Windows are
/// <see cref="UnusualVolumeSettings.WindowMinutes"/> long; volume counts each execution once (by its buy side) for the
/// symbol, and every fill of the account for an account. Two triggers:
/// <list type="bullet">
/// <item><b>Account</b>: its volume in a sliding window is at least <see cref="UnusualVolumeSettings.MinQuantity"/> and at least
/// <see cref="UnusualVolumeSettings.AccountMultiple"/> × the median of its volume over the fixed windows (aligned to midnight
/// UTC) in which it traded that day.</item>
/// <item><b>Symbol</b>: the symbol's volume in a sliding window is at least <see cref="UnusualVolumeSettings.SymbolMultiple"/> ×
/// the median over all fixed windows from its first to its last event and exceeds that median by at least
/// <see cref="UnusualVolumeSettings.MinQuantity"/>, and at most <see cref="UnusualVolumeSettings.MaxAccounts"/> accounts (the
/// largest in the window) together traded at least that excess.</item>
/// </list>
/// Overlapping windows of the same accounts are one case. Evidence: those accounts' trades in the flagged windows.
/// Score: 50 + 30 × min(1, (volume ÷ threshold − 1) ÷ 2) + 20 × min(1, volume ÷ (5 × the minimum)).
/// One pass collects each account's trades (accounts trading less than the minimum all day are skipped after it); the
/// sliding windows are two pointers over those lists.
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
        var executions = new List<int>();
        var accounts = new Dictionary<int, AccountTrades>();
        for (int i = 0; i < events.Length; i++)
        {
            ref readonly DayEvent trade = ref events[i];
            if (trade.Type != EventType.Trade)
            {
                continue;
            }

            if (trade.Side == Side.Buy)
            {
                executions.Add(i);
            }

            ref AccountTrades? account = ref CollectionsMarshal.GetValueRefOrAddDefault(accounts, trade.Account, out _);
            account ??= new AccountTrades();
            account.Trades.Add(i);
            account.Volume += trade.Quantity;
        }

        var cases = new List<VolumeCase>();
        foreach ((int account, AccountTrades trades) in accounts)
        {
            if (trades.Volume >= settings.MinQuantity)
            {
                FindAccountSurges(day, account, trades.Trades, window, cases);
            }
        }

        FindSymbolSurges(day, executions, window, cases);
        foreach (VolumeCase surge in VolumeCase.Merge(cases))
        {
            alerts.Add(surge.ToAlert(day, events));
        }
    }

    void FindAccountSurges(SymbolDay day, int account, List<int> trades, long window, List<VolumeCase> cases)
    {
        ReadOnlySpan<DayEvent> events = day.Events;
        double median = MedianOfActiveWindows(events, trades, window);
        double threshold = Math.Max(settings.MinQuantity, settings.AccountMultiple * median);
        foreach ((int from, int to, long volume) in Surges(events, trades, window, threshold))
        {
            var surge = new VolumeCase([day.Name(account)], Score(volume, threshold), AlertEvidence.Say($"Account {day.Name(account)} traded {volume:N0} in {settings.WindowMinutes:0.#} minutes, {volume / median:0.#}× the median of its active windows."));
            surge.Evidence.AddRange(trades.GetRange(from, to - from + 1));
            cases.Add(surge);
        }
    }

    void FindSymbolSurges(SymbolDay day, List<int> executions, long window, List<VolumeCase> cases)
    {
        ReadOnlySpan<DayEvent> events = day.Events;
        double median = MedianOfAllWindows(events, executions, window);
        double threshold = Math.Max(median + settings.MinQuantity, settings.SymbolMultiple * median);
        foreach ((int from, int to, long volume) in Surges(events, executions, window, threshold))
        {
            long start = events[executions[from]].Timestamp;
            long end = events[executions[to]].Timestamp;
            if (Attribute(day, start, end, volume - median, Score(volume, threshold)) is { } surge)
            {
                cases.Add(surge);
            }
        }
    }

    /// <summary>The fewest accounts (at most MaxAccounts) whose volume in [start, end] covers the excess, as a case; null when none do.</summary>
    VolumeCase? Attribute(SymbolDay day, long start, long end, double excess, double score)
    {
        ReadOnlySpan<DayEvent> events = day.Events;
        var volumes = new Dictionary<int, long>();
        int first = DayMath.FirstAtOrAfter(events, start);
        for (int i = first; i < events.Length && events[i].Timestamp <= end; i++)
        {
            if (events[i].Type == EventType.Trade)
            {
                CollectionsMarshal.GetValueRefOrAddDefault(volumes, events[i].Account, out _) += events[i].Quantity;
            }
        }

        var largest = volumes.OrderByDescending(v => v.Value).ThenBy(v => day.Name(v.Key), StringComparer.Ordinal).Take(settings.MaxAccounts).ToList();
        long covered = 0;
        var responsible = new List<int>();
        foreach ((int account, long volume) in largest)
        {
            covered += volume;
            responsible.Add(account);
            if (covered >= excess)
            {
                IEnumerable<string> names = responsible.Select(day.Name);
                var surge = new VolumeCase(names, score, AlertEvidence.Say($"The symbol traded {excess:N0} above its usual {settings.WindowMinutes:0.#}-minute volume, driven by {string.Join(" and ", names)}."));
                for (int i = first; i < events.Length && events[i].Timestamp <= end; i++)
                {
                    if (events[i].Type == EventType.Trade && responsible.Contains(events[i].Account))
                    {
                        surge.Evidence.Add(i);
                    }
                }

                return surge;
            }
        }

        return null;
    }

    /// <summary>
    /// Runs of sliding windows (ending at each trade) whose volume reaches <paramref name="threshold"/>: for each run, the
    /// positions in <paramref name="trades"/> of its first and last trade and the largest window volume in it.
    /// </summary>
    static List<(int From, int To, long Volume)> Surges(ReadOnlySpan<DayEvent> events, List<int> trades, long window, double threshold)
    {
        var runs = new List<(int From, int To, long Volume)>();
        long sum = 0;
        int lo = 0;
        int runFrom = -1;
        int runTo = -1;
        long runMax = 0;
        for (int hi = 0; hi < trades.Count; hi++)
        {
            long time = events[trades[hi]].Timestamp;
            sum += events[trades[hi]].Quantity;
            while (time - events[trades[lo]].Timestamp >= window)
            {
                sum -= events[trades[lo]].Quantity;
                lo++;
            }

            if (sum < threshold)
            {
                continue;
            }

            if (runFrom >= 0 && lo <= runTo)
            {
                runTo = hi;
                runMax = Math.Max(runMax, sum);
            }
            else
            {
                if (runFrom >= 0)
                {
                    runs.Add((runFrom, runTo, runMax));
                }

                (runFrom, runTo, runMax) = (lo, hi, sum);
            }
        }

        if (runFrom >= 0)
        {
            runs.Add((runFrom, runTo, runMax));
        }

        return runs;
    }

    /// <summary>The median volume of the fixed windows (aligned to midnight UTC) in which the trades fall, silent ones left out.</summary>
    static double MedianOfActiveWindows(ReadOnlySpan<DayEvent> events, List<int> trades, long window)
    {
        var volumes = new List<long>();
        long current = long.MinValue;
        foreach (int trade in trades)
        {
            long bucket = events[trade].Timestamp / window;
            if (bucket != current)
            {
                volumes.Add(0);
                current = bucket;
            }

            volumes[^1] += events[trade].Quantity;
        }

        return DayMath.Median(CollectionsMarshal.AsSpan(volumes));
    }

    /// <summary>The median volume of every fixed window from the day's first event to its last, silent ones counted as 0.</summary>
    static double MedianOfAllWindows(ReadOnlySpan<DayEvent> events, List<int> executions, long window)
    {
        long firstBucket = events[0].Timestamp / window;
        long[] volumes = new long[(events[^1].Timestamp / window) - firstBucket + 1];
        foreach (int execution in executions)
        {
            volumes[(events[execution].Timestamp / window) - firstBucket] += events[execution].Quantity;
        }

        return DayMath.Median(volumes);
    }

    double Score(long volume, double threshold) =>
        50 + (30 * Math.Min(1, ((volume / threshold) - 1) / 2)) + (20 * Math.Min(1, volume / (5.0 * settings.MinQuantity)));

    sealed class AccountTrades
    {
        public List<int> Trades { get; } = [];

        public long Volume { get; set; }
    }

    /// <summary>One surge: the accounts behind it and the trades that prove it.</summary>
    sealed class VolumeCase(IEnumerable<string> accounts, double score, string summary)
    {
        readonly HashSet<string> _accounts = new(accounts, StringComparer.Ordinal);

        public AlertEvidence Evidence { get; } = new();

        double _score = score;

        public Alert ToAlert(SymbolDay day, ReadOnlySpan<DayEvent> events) => Evidence.ToAlert(RuleName, day, events, _score, summary);

        /// <summary>Cases that share an account and overlap in time become one: the first found keeps its summary, the best score wins.</summary>
        public static List<VolumeCase> Merge(List<VolumeCase> cases)
        {
            var merged = new List<VolumeCase>(cases.Count);
            foreach (VolumeCase next in cases)
            {
                VolumeCase? same = merged.Find(m => m._accounts.Overlaps(next._accounts) && m.Evidence.Overlaps(next.Evidence));
                if (same is null)
                {
                    merged.Add(next);
                    continue;
                }

                same._accounts.UnionWith(next._accounts);
                same.Evidence.AddRange(next.Evidence.Indices);
                same._score = Math.Max(same._score, next._score);
            }

            return merged;
        }
    }
}

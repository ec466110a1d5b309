using Orchestration.Workflows.FraudScan;

namespace Orchestration.MarketGen;

/// <summary>A trading account: who owns it, which firm sends its orders, and whether it is the firm's own (principal).</summary>
public sealed record Account(string Id, string Owner, string Firm, string Trader, Capacity Capacity);

/// <summary>
/// One instrument: how active it is and its mid price through the session, one value a minute (random walk, plus the
/// jumps and drifts the planted cases need), interpolated in between.
/// </summary>
public sealed class Instrument(string ticker, double weight, double[] mids)
{
    public string Ticker { get; } = ticker;

    /// <summary>Share of the day's normal flow, relative to the other instruments.</summary>
    public double Weight { get; } = weight;

    internal double[] Mids { get; } = mids;

    /// <summary>Half the bid-ask spread: 3 basis points, at least one cent.</summary>
    public static double HalfSpread(double mid) => Math.Max(0.01, Math.Round(mid * 0.0003, 2));

    public static double Round(double price) => Math.Round(price, 2, MidpointRounding.AwayFromZero);
}

/// <summary>The day's cast: instruments, firms and accounts, and the session they trade in.</summary>
public sealed class Universe
{
    /// <summary>Regular session, UTC: 09:30–16:00 New York in winter.</summary>
    public static readonly TimeSpan Open = new(14, 30, 0);

    public static readonly TimeSpan Close = new(21, 0, 0);

    public const int SessionMinutes = 390;

    const int FirmCount = 25;
    const double MinuteVolatility = 0.0005;
    readonly List<Account> _planted = [];
    readonly Prng _random;
    int _plantedOwners;

    public Universe(MarketGenOptions options, Prng random)
    {
        _random = random;
        SessionStart = options.Date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).Add(Open).Ticks;
        Firms = [.. Enumerable.Range(1, FirmCount).Select(i => $"F{i:D2}")];
        Instruments = CreateInstruments(options.Symbols);
        int clients = Math.Clamp(options.Events / 200, 300, 50_000);
        ClientAccounts = CreateClients(clients);
        HouseAccounts = [.. Firms.SelectMany(firm => Enumerable.Range(1, 2).Select(k => new Account($"H{firm}{k}", $"W{firm}{k}", firm, $"T{firm}P", Capacity.Principal)))];
    }

    /// <summary>Ticks of the session's open on the chosen date.</summary>
    public long SessionStart { get; }

    public long SessionEnd => SessionStart + (SessionMinutes * TimeSpan.TicksPerMinute);

    public IReadOnlyList<string> Firms { get; }

    public IReadOnlyList<Instrument> Instruments { get; }

    /// <summary>Accounts of the normal flow; owners have one account, a few have two (that never trade with each other).</summary>
    public IReadOnlyList<Account> ClientAccounts { get; }

    /// <summary>Each firm's two own (principal) accounts.</summary>
    public IReadOnlyList<Account> HouseAccounts { get; }

    /// <summary>The side an owner leans to in an instrument all day: normal flow rarely trades against its own lean.</summary>
    public static Side Lean(Account account, Instrument instrument)
    {
        uint hash = ((uint)account.Owner.GetHashCodeStable() * 0x9E3779B1u) ^ (uint)instrument.Ticker.GetHashCodeStable();
        return ((hash ^ (hash >> 15)) & 1) == 0 ? Side.Buy : Side.Sell;
    }

    public double Mid(Instrument instrument, long ticks)
    {
        double minute = Math.Clamp((ticks - SessionStart) / (double)TimeSpan.TicksPerMinute, 0, SessionMinutes);
        int m = Math.Min((int)minute, SessionMinutes - 1);
        double f = minute - m;
        return (instrument.Mids[m] * (1 - f)) + (instrument.Mids[m + 1] * f);
    }

    /// <summary>Multiplies the mid from <paramref name="fromMinute"/> on, ramping linearly to <paramref name="factor"/> over <paramref name="rampMinutes"/>.</summary>
    public static void Shift(Instrument instrument, int fromMinute, double factor, int rampMinutes)
    {
        for (int m = fromMinute; m <= SessionMinutes; m++)
        {
            double progress = rampMinutes == 0 ? 1 : Math.Min(1, (m - fromMinute + 1) / (double)rampMinutes);
            instrument.Mids[m] *= 1 + ((factor - 1) * progress);
        }
    }

    /// <summary>
    /// A new account of <paramref name="firm"/> for a planted case (or a second account of <paramref name="owner"/>): it trades
    /// nowhere else, except the baseline its case gives it.
    /// </summary>
    public Account NewPlantedAccount(string firm, Capacity capacity = Capacity.Client, string? owner = null)
    {
        int n = _planted.Count + 1;
        owner ??= $"W9{++_plantedOwners:D5}";
        var account = new Account(capacity == Capacity.Principal ? $"H{firm}9{n:D3}" : $"A9{n:D5}", owner, firm, $"T{firm}{n % 5}", capacity);
        _planted.Add(account);
        return account;
    }

    Instrument[] CreateInstruments(int count)
    {
        var tickers = new HashSet<string>(StringComparer.Ordinal);
        var instruments = new Instrument[count];
        for (int i = 0; i < count; i++)
        {
            string ticker;
            do
            {
                int length = _random.Between(3, 4);
                ticker = string.Create(length, _random, static (chars, random) =>
                {
                    for (int c = 0; c < chars.Length; c++)
                    {
                        chars[c] = (char)('A' + random.Next(26));
                    }
                });
            }
            while (!tickers.Add(ticker));

            double[] mids = new double[SessionMinutes + 1];
            mids[0] = Math.Exp(_random.Between(Math.Log(5), Math.Log(400)));
            for (int m = 1; m <= SessionMinutes; m++)
            {
                mids[m] = mids[m - 1] * Math.Exp(MinuteVolatility * _random.Gaussian());
            }

            // Zipf-like activity: a few names trade far more than the tail.
            instruments[i] = new Instrument(ticker, 1 / Math.Pow(i + 1, 0.7), mids);
        }

        return instruments;
    }

    Account[] CreateClients(int count)
    {
        var accounts = new Account[count];
        int owner = 0;
        bool shared = false;
        for (int i = 0; i < count; i++)
        {
            string firm = _random.Pick(Firms);
            // One owner in twenty holds two accounts (often at different firms); they lean the same way, so never wash.
            shared = i > 0 && !shared && _random.Chance(0.05);
            if (!shared)
            {
                owner++;
            }

            accounts[i] = new Account($"A{i + 1:D6}", $"W{owner:D6}", firm, $"T{firm}{_random.Next(5)}", Capacity.Client);
        }

        return accounts;
    }
}

static class StableHash
{
    /// <summary>FNV-1a: the same on every run, unlike <see cref="string.GetHashCode()"/>.</summary>
    public static int GetHashCodeStable(this string text)
    {
        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 16777619;
        }

        return (int)hash;
    }
}

using System.Globalization;
using Orchestration.Workflows.FraudScan;

namespace Orchestration.MarketGen;

/// <summary>
/// The realistic mode (<c>--market realistic</c>): a price-time limit order book per symbol, with market makers quoting
/// both sides and repricing all day (most of their orders cancelled unfilled), retail and proprietary flow, agency parent
/// orders worked in child orders over hours, large resting client orders, a closing cross and a news feed of low, medium
/// and high items. Symbols follow a Zipf law of activity (a few busy, a long thin tail) and lots depend on the price.
/// The day is made symbol by symbol, each from its own seeded <see cref="Prng"/>: the same options give the same
/// events, news and labels. This class holds the whole day in memory (tests, the in-process quality bench);
/// <see cref="MarketDayFiles.WriteRealistic"/> writes the same bytes holding about one symbol's day. Labels: planted
/// abuses and hard negatives (legitimate look-alikes of each rule's abuse).
/// </summary>
public sealed class RealisticMarket
{
    /// <summary>A market maker stops quoting the side that would grow its position beyond this many lots.</summary>
    public const int InventoryLimitLots = 20;

    /// <summary>The largest market-maker quote, in lots.</summary>
    public const int MaxQuoteLots = 5;

    public RealisticMarket(MarketGenOptions options)
    {
        Options = options;
        var news = new List<NewsEvent>();
        var cases = new List<PlantedCase>();
        var symbols = new List<RealisticSymbol>();
        var perSymbol = new List<List<MarketEvent>>();
        foreach (SymbolMade made in MakeSymbols(options))
        {
            symbols.Add(made.Symbol);
            perSymbol.Add(made.Events);
            news.AddRange(made.News);
            cases.AddRange(made.Cases);
        }

        // Merge the symbols' days by time; ties keep the symbol order and each symbol's own order.
        // (MarketDayFiles.WriteRealistic merges in the same order from files.)
        Events = [.. perSymbol.SelectMany((list, s) => list.Select((e, n) => (e, s, n))).OrderBy(x => x.e.Timestamp).ThenBy(x => x.s).ThenBy(x => x.n).Select(x => x.e)];
        News = SortNews(news);
        Cases = cases;
        Symbols = symbols;
    }

    /// <summary>
    /// Each symbol's day, busiest first, made one after the other (ids and quotas are shared, so the order matters): what
    /// the constructor merges in memory and <see cref="MarketDayFiles.WriteRealistic"/> streams through files.
    /// </summary>
    /// <param name="sink">When given, each event also goes there as it is made (the symbol's list is still kept while it is made: planting looks back at it).</param>
    internal static IEnumerable<SymbolMade> MakeSymbols(MarketGenOptions options, Action<MarketEvent>? sink = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Events);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Symbols, 10);
        return Make(options, sink);

        static IEnumerable<SymbolMade> Make(MarketGenOptions options, Action<MarketEvent>? sink)
        {
            var random = new Prng(options.Seed ^ 0x7265616CUL);
            long open = options.Date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).Add(Universe.Open).Ticks;
            var cast = new Cast(options.Events);
            var ids = new Ids();
            double totalWeight = 0;
            for (int i = 0; i < options.Symbols; i++)
            {
                totalWeight += Zipf(i);
            }

            var quota = new Quota(options.CasesPerRule);
            var tickers = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < options.Symbols; i++)
            {
                string ticker = Ticker(i, tickers);
                double price = Math.Round(Math.Exp(random.Between(Math.Log(3), Math.Log(400))), 2);
                var symbol = new RealisticSymbol(ticker, Zipf(i) / totalWeight, price, LotFor(price), i);
                var book = new SymbolBook(symbol, new Prng(random.NextULong()), cast, ids, open, options.Events * symbol.Share, quota) { Sink = sink };
                List<MarketEvent> events = book.Run();
                yield return new SymbolMade(symbol, events, book.News, book.Cases);
            }
        }
    }

    /// <summary>The day's news in time order, ties by symbol.</summary>
    internal static IReadOnlyList<NewsEvent> SortNews(IEnumerable<NewsEvent> news) => [.. news.OrderBy(n => n.Timestamp).ThenBy(n => n.Symbol, StringComparer.Ordinal)];

    public MarketGenOptions Options { get; }

    /// <summary>Every event of the day in time order.</summary>
    public IReadOnlyList<MarketEvent> Events { get; }

    public IReadOnlyList<NewsEvent> News { get; }

    /// <summary>The labelled cases; so far hard negatives only (<see cref="PlantedCase.Decoy"/> true, note "Hard negative: …").</summary>
    public IReadOnlyList<PlantedCase> Cases { get; }

    /// <summary>The instruments, busiest first.</summary>
    public IReadOnlyList<RealisticSymbol> Symbols { get; }

    public GeneratedDay Generate() => new(Events, News, Cases);

    /// <summary>Relative activity of the symbol of rank <paramref name="rank"/> (0 = busiest).</summary>
    static double Zipf(int rank) => 1 / Math.Pow(rank + 1, 1.1);

    /// <summary>Round lot by price: 400 shares under $10 down to 10 shares from $200.</summary>
    public static long LotFor(double price) => price switch
    {
        < 10 => 400,
        < 20 => 200,
        < 50 => 100,
        < 100 => 50,
        < 200 => 20,
        _ => 10,
    };

    static string Ticker(int index, HashSet<string> taken)
    {
        // 7919 is prime to 26, so the mapping is one to one over 26^4 names.
        int code = (int)((index * 7919L + 1234) % (26 * 26 * 26 * 26));
        string ticker = string.Create(4, code, static (chars, c) =>
        {
            for (int k = 3; k >= 0; k--)
            {
                chars[k] = (char)('A' + (c % 26));
                c /= 26;
            }
        });
        taken.Add(ticker);
        return ticker;
    }

    /// <summary>Ids shared by every symbol, so every id is unique in the day.</summary>
    internal sealed class Ids
    {
        long _events;
        long _orders;
        long _executions;

        public string Event() => "E" + (++_events).ToString("D9", CultureInfo.InvariantCulture);

        public string Order() => "O" + (++_orders).ToString(CultureInfo.InvariantCulture);

        public string Execution() => "X" + (++_executions).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>How many hard negatives of each kind are still wanted (the day keeps at most this many of each).</summary>
    internal sealed class Quota(int perKind)
    {
        readonly Dictionary<string, int> _taken = new(StringComparer.Ordinal);

        public bool Take(string kind)
        {
            int n = _taken.GetValueOrDefault(kind);
            if (n >= perKind)
            {
                return false;
            }

            _taken[kind] = n + 1;
            return true;
        }
    }

    /// <summary>The day's participants, shared by every symbol.</summary>
    internal sealed class Cast
    {
        public Cast(int events)
        {
            MarketMakers = [.. Enumerable.Range(1, 4).Select(i => new Account($"MM{i}Q", $"OMM{i}", $"MM{i}", $"MM{i}-DESK", Capacity.Principal))];
            Prop = [.. Enumerable.Range(1, 6).SelectMany(f => Enumerable.Range(1, 2).Select(k => new Account($"P{f}T{k}", $"OP{f}", $"PT{f}", $"PT{f}-T{k}", Capacity.Principal)))];
            Brokers = [.. Enumerable.Range(1, 5).Select(i => $"BR{i}")];
            BrokerDesks = [.. Brokers.Select(b => new Account($"{b}H", $"O{b}", b, $"{b}-FAC", Capacity.Principal))];
            int retail = Math.Clamp(events / 100, 200, 100_000);
            Retail = [.. Enumerable.Range(1, retail).Select(i => new Account($"R{i:D6}", i % 25 == 0 ? $"OR{i - 1:D6}" : $"OR{i:D6}", Brokers[i % Brokers.Count], $"{Brokers[i % Brokers.Count]}-RTL", Capacity.Client))];
            int institutions = Math.Clamp(events / 5000, 20, 2000);
            Institutions = [.. Enumerable.Range(1, institutions).Select(i => new Account($"I{i:D5}", $"OI{i:D5}", Brokers[i % Brokers.Count], $"{Brokers[i % Brokers.Count]}-ALGO", Capacity.Client))];
        }

        public IReadOnlyList<Account> MarketMakers { get; }

        public IReadOnlyList<Account> Prop { get; }

        public IReadOnlyList<string> Brokers { get; }

        /// <summary>Each broker's own (principal) facilitation desk.</summary>
        public IReadOnlyList<Account> BrokerDesks { get; }

        /// <summary>Retail clients; one owner in 25 has two accounts.</summary>
        public IReadOnlyList<Account> Retail { get; }

        /// <summary>Institutional clients whose parent orders the brokers work.</summary>
        public IReadOnlyList<Account> Institutions { get; }
    }
}

/// <summary>One symbol's day as its book made it: its events in the order made, its news and labels.</summary>
internal sealed record SymbolMade(RealisticSymbol Symbol, List<MarketEvent> Events, IReadOnlyList<NewsEvent> News, IReadOnlyList<PlantedCase> Cases);

/// <summary>One instrument of the realistic mode.</summary>
/// <param name="Share">Its share of the day's events (Zipf).</param>
/// <param name="Price">Its opening price.</param>
/// <param name="Lot">Its round lot, by price.</param>
/// <param name="Rank">0 for the busiest.</param>
public sealed record RealisticSymbol(string Ticker, double Share, double Price, long Lot, int Rank);

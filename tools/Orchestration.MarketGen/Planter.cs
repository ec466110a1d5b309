using Orchestration.Workflows.FraudScan;

namespace Orchestration.MarketGen;

/// <summary>
/// Plants the labelled cases and decoys of every rule (one file per rule) before the normal flow is generated around them,
/// plus the day's news. Each case reserves its instrument for a stretch of the day so that cases never overlap.
/// </summary>
sealed partial class Planter
{
    /// <summary>Minutes kept clear around each case on its instrument.</summary>
    const int Clearance = 40;

    readonly Universe _universe;
    readonly EventFactory _factory;
    readonly Prng _random;
    readonly NormalFlow _flow;
    readonly Dictionary<Instrument, List<(int From, int To)>> _reserved = [];
    readonly List<MarketEvent> _events = [];
    readonly List<PlantedCase> _cases = [];
    readonly List<NewsEvent> _news = [];

    /// <summary>
    /// What makes each case's events, run once every case has shaped the price paths (news jumps, drifts into the close):
    /// a later jump would otherwise leave earlier planted trades off the market.
    /// </summary>
    readonly List<Action> _makers = [];

    public Planter(Universe universe, EventFactory factory, Prng random, NormalFlow flow)
    {
        _universe = universe;
        _factory = factory;
        _random = random;
        _flow = flow;
    }

    public IReadOnlyList<MarketEvent> Events => _events;

    public IReadOnlyList<PlantedCase> Cases => _cases;

    /// <summary>The day's news, in time order.</summary>
    public IReadOnlyList<NewsEvent> News => [.. _news.OrderBy(n => n.Timestamp).ThenBy(n => n.Symbol, StringComparer.Ordinal)];

    /// <summary>Plants <paramref name="cases"/> cases and <paramref name="decoys"/> decoys of every rule, then routine news.</summary>
    public void PlantAll(int cases, int decoys)
    {
        PlantEveryRule(cases, decoy: false);
        PlantEveryRule(decoys, decoy: true);
        RoutineNews();
        foreach (Action make in _makers)
        {
            make();
        }
    }

    void PlantEveryRule(int count, bool decoy)
    {
        for (int i = 0; i < count; i++)
        {
            WashTrade(i, decoy);
            Spoofing(i, decoy);
            FrontRunning(i, decoy);
            MarkingTheClose(i, decoy);
            TradingAheadOfNews(i, decoy);
            UnusualVolume(i, decoy);
        }
    }

    /// <summary>Ticks at <paramref name="minute"/> minutes (fractional) after the open.</summary>
    long At(double minute) => _universe.SessionStart + (long)(minute * TimeSpan.TicksPerMinute);

    /// <summary>
    /// An instrument free from <c>From</c> for <paramref name="minutes"/> minutes, the start chosen in
    /// [<paramref name="earliest"/>, <paramref name="latest"/>]; among the busiest <paramref name="busiest"/> instruments when
    /// given, or <paramref name="only"/> that one. Null when no free stretch turns up in a thousand tries.
    /// </summary>
    (Instrument Instrument, int From)? TryReserve(int minutes, int earliest, int latest, int? busiest = null, Instrument? only = null)
    {
        IReadOnlyList<Instrument> instruments = _universe.Instruments;
        for (int tries = 0; tries < 1000; tries++)
        {
            Instrument instrument = only ?? instruments[_random.Next(Math.Min(busiest ?? instruments.Count, instruments.Count))];
            int from = _random.Between(earliest, latest);
            List<(int From, int To)> taken = _reserved.TryGetValue(instrument, out var list) ? list : _reserved[instrument] = [];
            if (!taken.Exists(r => from < r.To + Clearance && r.From < from + minutes + Clearance))
            {
                taken.Add((from, from + minutes));
                return (instrument, from);
            }
        }

        return null;
    }

    /// <summary><see cref="TryReserve"/> for a case, which must find room.</summary>
    (Instrument Instrument, int From) Reserve(int minutes, int earliest, int latest, int? busiest = null) =>
        TryReserve(minutes, earliest, latest, busiest)
        ?? throw new InvalidOperationException($"No room for another case among {_universe.Instruments.Count} symbols: generate more symbols or fewer events.");

    /// <summary>An aggressive trade of <paramref name="account"/> at the touch (or at <paramref name="price"/>) against a normal account.</summary>
    Fill Trade(long time, Account account, Instrument instrument, Side side, long quantity, double? price = null)
    {
        double mid = _universe.Mid(instrument, time);
        double touch = side == Side.Buy ? mid + Instrument.HalfSpread(mid) : mid - Instrument.HalfSpread(mid);
        Account passive = _flow.Counterparty(instrument, NormalFlow.Opposite(side), account.Owner)
            ?? throw new InvalidOperationException($"No account leans {NormalFlow.Opposite(side)} in {instrument.Ticker}.");
        long restingSince = Math.Max(_universe.SessionStart, time - NormalFlow.Seconds(_random.Between(1.0, 20.0)));
        Fill fill = _factory.Trade(time, restingSince, account, passive, instrument, side, price ?? touch, quantity, quantity);
        _events.AddRange(fill.All);
        return fill;
    }

    MarketEvent Add(MarketEvent e)
    {
        _events.Add(e);
        return e;
    }

    void Label(string rule, Instrument instrument, bool decoy, string note, IEnumerable<MarketEvent> evidence)
    {
        List<MarketEvent> events = [.. evidence];
        _cases.Add(new PlantedCase(
            rule,
            instrument.Ticker,
            [.. events.Select(e => e.Account).Distinct().Order(StringComparer.Ordinal)],
            [.. events.Select(e => e.EventId)],
            decoy,
            note));
    }

    void AddNews(Instrument instrument, long time, string headline, double materiality) =>
        _news.Add(new NewsEvent(instrument.Ticker, time, headline, Math.Round(materiality, 2)));

    static long Lots(double quantity) => Math.Max(100, (long)Math.Round(quantity / 100) * 100);

    static readonly string[] RoutineHeadlines =
    [
        "Analyst reiterates rating", "Company to present at industry conference", "Director files share dealing notice",
        "Dividend date confirmed", "Annual meeting scheduled", "Index rebalancing notice",
    ];

    static readonly string[] MaterialHeadlines =
    [
        "Regulator approves flagship product", "Quarterly results far above consensus", "Takeover approach confirmed",
        "Profit warning issued", "Chief executive resigns unexpectedly", "Major contract cancelled",
    ];

    /// <summary>Low-materiality items everywhere, and material news on a few instruments with nothing suspicious before it.</summary>
    void RoutineNews()
    {
        foreach (Instrument instrument in _universe.Instruments)
        {
            int items = _random.Between(0, 3);
            for (int i = 0; i < items; i++)
            {
                AddNews(instrument, At(_random.Between(1.0, 385.0)), _random.Pick(RoutineHeadlines), _random.Between(0.05, 0.5));
            }

            if (_random.Chance(0.05))
            {
                // Reserved like a case: a drift or burst shortly before would look like trading ahead of it.
                if (TryReserve(1, 30, 350, only: instrument) is not { From: int minute })
                {
                    continue;
                }

                bool good = _random.Chance(0.5);
                AddNews(instrument, At(minute), MaterialHeadlines[_random.Next(3) + (good ? 0 : 3)], _random.Between(0.7, 0.95));
                Universe.Shift(instrument, minute, good ? 1.02 : 0.98, 3);
            }
        }
    }
}

namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// One event as the rules see it: a fixed record without references, so a day of them costs the garbage collector nothing
/// and the rules compare and index integers where they would hash strings. The repeated values (account, owner, firm,
/// trader, venue) are keys of the scan's names (<see cref="SymbolDay.Name(int)"/>); order and execution ids are keys
/// numbered within the symbol's day (0 to <see cref="SymbolDay.Orders"/> − 1, <see cref="SymbolDay.Executions"/> − 1),
/// so a rule can index an array by them. Equal values have equal keys. Texts are looked up only for what a report shows.
/// </summary>
/// <param name="Timestamp">UTC ticks (100 ns), as <see cref="MarketEvent.Timestamp"/>.</param>
/// <param name="Exec">The execution's key, or −1 when the event has no execution id.</param>
/// <param name="Arrival">The event's position among its symbol's events as they were read: names its event id (<see cref="SymbolDay.EventId"/>).</param>
public readonly record struct DayEvent(
    long Timestamp,
    double Price,
    long Quantity,
    int Account,
    int Owner,
    int Firm,
    int Trader,
    int Venue,
    int Order,
    int Exec,
    int Arrival,
    EventType Type,
    Side Side,
    Capacity Capacity)
{
    public DateTime Time => new(Timestamp, DateTimeKind.Utc);
}

/// <summary>
/// Everything one symbol did in a scan, in time order (ties in input order): what each rule looks at. A partition holds
/// whole symbols, so a rule never sees half of a symbol's day. A day made by a scan lives for its rules' calls only
/// (the next symbol reuses its memory): rules keep nothing of it between calls.
/// </summary>
public sealed class SymbolDay
{
    private readonly DayEvent[] _events;
    private readonly int _count;
    private readonly HeldEvents _held;
    private readonly DayNames _names;

    /// <summary>A day of <paramref name="events"/> (tests, tools): they are ordered by time here, ties kept in the order given.</summary>
    public SymbolDay(string symbol, IEnumerable<MarketEvent> events, IEnumerable<NewsEvent> news)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(news);
        _names = new DayNames();
        _held = new HeldEvents();
        byte[] scratch = [];
        foreach (MarketEvent e in events)
        {
            _held.Add(EventRecord.From(e, ref scratch), _names);
        }

        _events = new DayEvent[_held.Count];
        _count = _held.SortInto(_events);
        Symbol = symbol;
        News = [.. news.OrderBy(n => n.Timestamp)];
    }

    internal SymbolDay(string symbol, DayEvent[] events, int count, HeldEvents held, DayNames names, IReadOnlyList<NewsEvent> news)
    {
        (Symbol, _events, _count, _held, _names, News) = (symbol, events, count, held, names, news);
    }

    public string Symbol { get; }

    /// <summary>The symbol's order and trade events, sorted by timestamp (stable).</summary>
    public ReadOnlySpan<DayEvent> Events => _events.AsSpan(0, _count);

    /// <summary>The symbol's news items, sorted by timestamp.</summary>
    public IReadOnlyList<NewsEvent> News { get; }

    /// <summary>Distinct order ids of the day: order keys are below this.</summary>
    public int Orders => _held.Orders;

    /// <summary>Distinct execution ids of the day: execution keys are below this.</summary>
    public int Executions => _held.Executions;

    /// <summary>The account, owner, firm, trader or venue a key stands for.</summary>
    public string Name(int key) => _names[key];

    public string EventId(in DayEvent e) => _held.EventId(e.Arrival);

    public string OrderId(in DayEvent e) => _held.OrderId(e.Order);

    public string ExecId(in DayEvent e) => e.Exec < 0 ? "" : _held.ExecId(e.Exec);

    /// <summary>The event as a record with its texts (for tests and diagnostics: it allocates every string).</summary>
    public MarketEvent ToMarketEvent(in DayEvent e) =>
        new(e.Timestamp, EventId(e), e.Type, OrderId(e), Name(e.Account), Name(e.Owner), Name(e.Firm), Name(e.Trader), Symbol, e.Side, e.Price, e.Quantity, Name(e.Venue), e.Capacity, ExecId(e));

    public MarketEvent[] ToMarketEvents()
    {
        var all = new MarketEvent[_count];
        for (int i = 0; i < all.Length; i++)
        {
            all[i] = ToMarketEvent(_events[i]);
        }

        return all;
    }
}

/// <summary>
/// The names a scan has seen (accounts, owners, firms, traders, venues: the values events repeat), each kept once as
/// UTF-8 and named by a key; the string is made the first time a report asks for it.
/// </summary>
internal sealed class DayNames
{
    private readonly Utf8Keys _keys = new(1024);
    private string?[] _strings = new string?[1024];

    public string this[int key]
    {
        get
        {
            if (key >= _strings.Length)
            {
                Array.Resize(ref _strings, Math.Max(key + 1, _strings.Length * 2));
            }

            return _strings[key] ??= _keys.GetString(key);
        }
    }

    public int KeyOf(ReadOnlySpan<byte> utf8) => _keys.KeyOf(utf8);
}

using System.Runtime.InteropServices;

namespace Orchestration.Workflows.FraudScan.Rules;

/// <summary>Parameters of <see cref="SpoofingRule"/> (<c>rules.spoofing</c>).</summary>
public sealed record SpoofingSettings : SurveillanceRuleSettings
{
    /// <summary>An owner's displayed quantity on one side is large from this many medians of that side's order size.</summary>
    public double SizeMultiple { get; init; } = 5;

    /// <summary>… and at least this many times everyone else's displayed quantity on that side, from the best price to its farthest order.</summary>
    public double DepthMultiple { get; init; } = 0.1;

    /// <summary>The large quantity must be gone (below the size threshold again) within this time of appearing.</summary>
    public double MaxLifetimeSeconds { get; init; } = 60;

    /// <summary>Largest share of the large orders' quantity that may have traded (non-bona-fide orders are cancelled, not filled).</summary>
    public double MaxFilledShare { get; init; } = 0.5;

    /// <summary>A two-sided quoter is not spoofing: the owner's displayed quantity on the other side stays below this share of the large side.</summary>
    public double MaxOppositeShare { get; init; } = 0.25;
}

/// <summary>
/// <c>spoofing</c> (CEA §4c(a)(5)(C) as added by Dodd-Frank §747; layering as in the SEC's and FINRA's cases): bids or
/// offers placed with the intent to cancel them before they execute, to move others' prices while trading the other way.
/// The rule replays the symbol's book (rests by order key) and follows each owner's displayed quantity per side. An
/// <b>episode</b> opens when an owner displays on one side at least <see cref="SpoofingSettings.SizeMultiple"/> × that side's
/// median order size, and closes when it is back under that. It is flagged when (1) it closed within
/// <see cref="SpoofingSettings.MaxLifetimeSeconds"/>; (2) at most <see cref="SpoofingSettings.MaxFilledShare"/> of its orders'
/// quantity traded; (3) the owner traded on the other side while it was displayed; and (4) the owner was not quoting the
/// other side too: its displayed quantity there stayed under <see cref="SpoofingSettings.MaxOppositeShare"/> × the large side;
/// and (5) its peak was at least <see cref="SpoofingSettings.DepthMultiple"/> × everyone else's displayed quantity on that side
/// from the best price to the episode's farthest order.
/// Evidence: the large orders, their cancels and the opposite fills. Score: 50 + 25 × min(1, peak ÷ (2 × size threshold))
/// + 25 × (1 − filled share ÷ the largest allowed).
/// One pass: arrays by order key (what rests, whose, a list of each owner-side's live orders) and per owner-side totals.
/// </summary>
public sealed class SpoofingRule(SpoofingSettings settings) : ISurveillanceRule
{
    public const string RuleName = "spoofing";

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

        new Replay(settings, day, day.Orders).Run(day, events, alerts);
    }

    /// <summary>The book of one symbol's day, replayed once.</summary>
    sealed class Replay
    {
        readonly SpoofingSettings _settings;
        readonly double[] _large = new double[2]; // size threshold per side (0 buy, 1 sell)
        readonly long[] _rest;                    // by order key: what is displayed
        readonly long[] _placed;                  // by order key: quantity of its NEW
        readonly double[] _price;                 // by order key: its limit price (NEW or last MODIFY)
        readonly long[] _filled;                  // by order key: quantity traded
        readonly int[] _new;                      // by order key: index of its NEW, else -1
        readonly int[] _cancel;                   // by order key: index of its last CANCEL, else -1
        readonly int[] _book;                     // by order key: owner-side key it rests under, else -1
        readonly int[] _slot;                     // by order key: its owner's slot, else -1
        readonly int[] _next;                     // by order key: next live order of the same owner-side
        readonly int[] _prev;
        readonly List<(Episode Episode, double Score, string Summary)> _flagged = [];
        readonly Dictionary<int, int> _owners = []; // owner key → owner slot; owner-side key = slot × 2 + side
        readonly long _lifetime;
        long[] _ownerRest = new long[64];
        int[] _head = new int[64];
        Episode?[] _episodes = new Episode?[64];

        public Replay(SpoofingSettings settings, SymbolDay day, int orders)
        {
            _settings = settings;
            _lifetime = DayMath.Ticks(settings.MaxLifetimeSeconds);
            (double buy, double sell) = DayMath.MedianOrderSizes(day.Events);
            _large[0] = settings.SizeMultiple * buy;
            _large[1] = settings.SizeMultiple * sell;
            _rest = new long[orders];
            _placed = new long[orders];
            _price = new double[orders];
            _filled = new long[orders];
            _new = new int[orders];
            _cancel = new int[orders];
            _book = new int[orders];
            _slot = new int[orders];
            _next = new int[orders];
            _prev = new int[orders];
            Array.Fill(_new, -1);
            Array.Fill(_cancel, -1);
            Array.Fill(_book, -1);
            Array.Fill(_slot, -1);
            Array.Fill(_head, -1);
        }

        public void Run(SymbolDay day, ReadOnlySpan<DayEvent> events, ICollection<Alert> alerts)
        {
            for (int i = 0; i < events.Length; i++)
            {
                ref readonly DayEvent e = ref events[i];
                int o = e.Order;
                if (o < 0)
                {
                    continue;
                }

                int side = e.Side == Side.Buy ? 0 : 1;
                if (_slot[o] < 0)
                {
                    _slot[o] = Slot(e.Owner);
                }

                int key = (_slot[o] * 2) + side;
                switch (e.Type)
                {
                    case EventType.New when _new[o] < 0:
                        _new[o] = i;
                        _placed[o] = e.Quantity;
                        _price[o] = e.Price;
                        Display(o, key, e.Quantity);
                        Grew(key, side, o, e.Timestamp, placed: true);
                        break;
                    case EventType.Modify when _book[o] >= 0 || _new[o] >= 0:
                        long before = _rest[o];
                        Display(o, key, e.Quantity - before);
                        _placed[o] = Math.Max(_placed[o], e.Quantity + _filled[o]);
                        _price[o] = e.Price > 0 ? e.Price : _price[o];
                        if (e.Quantity > before)
                        {
                            Grew(key, side, o, e.Timestamp, placed: false);
                        }
                        else
                        {
                            Shrank(day, events, key, side, e.Timestamp);
                        }

                        break;
                    case EventType.Trade:
                        _filled[o] += e.Quantity;
                        Display(o, key, -Math.Min(e.Quantity, _rest[o]));
                        if (_episodes[key ^ 1] is { } opposite)
                        {
                            opposite.OppositeFills.Add(i);
                        }

                        Shrank(day, events, key, side, e.Timestamp);
                        break;
                    case EventType.Cancel:
                        _cancel[o] = i;
                        Display(o, key, -(e.Quantity > 0 ? Math.Min(e.Quantity, _rest[o]) : _rest[o]));
                        Shrank(day, events, key, side, e.Timestamp);
                        break;
                }
            }

            // Still displayed at the end of the day: not cancelled shortly, nothing to report, except on a day shorter than the lifetime.
            long end = events[^1].Timestamp;
            for (int key = 0; key < _owners.Count * 2; key++)
            {
                if (_episodes[key] is { } open)
                {
                    _episodes[key] = null;
                    Decide(day, events, open, end);
                }
            }

            Report(day, events, alerts);
        }

        int Slot(int owner)
        {
            ref int slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_owners, owner, out bool exists);
            if (!exists)
            {
                slot = _owners.Count - 1;
                if (slot * 2 >= _head.Length)
                {
                    int size = _head.Length * 2;
                    Array.Resize(ref _ownerRest, size);
                    Array.Resize(ref _episodes, size);
                    int old = _head.Length;
                    Array.Resize(ref _head, size);
                    Array.Fill(_head, -1, old, size - old);
                }
            }

            return slot;
        }

        /// <summary>Changes what order <paramref name="o"/> displays by <paramref name="delta"/>, keeping the owner-side's live list.</summary>
        void Display(int o, int key, long delta)
        {
            if (_book[o] >= 0 && _book[o] != key)
            {
                return; // the feed changed the order's owner or side: keep the first
            }

            long after = Math.Max(0, _rest[o] + delta);
            delta = after - _rest[o];
            _rest[o] = after;
            _ownerRest[key] += delta;
            if (after > 0 && _book[o] < 0)
            {
                _book[o] = key;
                _prev[o] = -1;
                _next[o] = _head[key];
                if (_head[key] >= 0)
                {
                    _prev[_head[key]] = o;
                }

                _head[key] = o;
            }
            else if (after == 0 && _book[o] >= 0)
            {
                if (_prev[o] >= 0)
                {
                    _next[_prev[o]] = _next[o];
                }
                else
                {
                    _head[key] = _next[o];
                }

                if (_next[o] >= 0)
                {
                    _prev[_next[o]] = _prev[o];
                }

                _book[o] = -1;
            }
        }

        /// <summary>The owner-side <paramref name="key"/> displays more: maybe an episode opens, or an open one grows.</summary>
        void Grew(int key, int side, int order, long time, bool placed)
        {
            long mine = _ownerRest[key];
            if (_episodes[key ^ 1] is { } other)
            {
                other.MaxOpposite = Math.Max(other.MaxOpposite, mine);
            }

            if (_episodes[key] is { } open)
            {
                if (placed)
                {
                    open.Orders.Add(order);
                }

                open.Peak = Math.Max(open.Peak, mine);
                return;
            }

            if (mine < _large[side])
            {
                return;
            }

            var episode = new Episode(key, time, mine, _ownerRest[key ^ 1]);
            for (int o = _head[key]; o >= 0; o = _next[o])
            {
                episode.Orders.Add(o);
            }

            _episodes[key] = episode;
        }

        /// <summary>The owner-side <paramref name="key"/> displays less: an open episode closes when it is back under the size threshold.</summary>
        void Shrank(SymbolDay day, ReadOnlySpan<DayEvent> events, int key, int side, long time)
        {
            if (_episodes[key] is { } open && _ownerRest[key] < _large[side])
            {
                _episodes[key] = null;
                Decide(day, events, open, time);
            }
        }

        /// <summary>
        /// Everyone else's displayed quantity on the episode's side from the best price to the episode's farthest order: the
        /// depth its orders stood against. Walks that side's live orders; only for episodes that pass every other test.
        /// </summary>
        long OthersDepth(Episode episode)
        {
            bool buy = (episode.Key & 1) == 0;
            double farthest = buy ? double.MaxValue : double.MinValue;
            foreach (int o in episode.Orders)
            {
                farthest = buy ? Math.Min(farthest, _price[o]) : Math.Max(farthest, _price[o]);
            }

            long depth = 0;
            for (int key = episode.Key & 1; key < _owners.Count * 2; key += 2)
            {
                if (key == episode.Key)
                {
                    continue;
                }

                for (int o = _head[key]; o >= 0; o = _next[o])
                {
                    if (buy ? _price[o] >= farthest : _price[o] <= farthest)
                    {
                        depth += _rest[o];
                    }
                }
            }

            return depth;
        }

        void Decide(SymbolDay day, ReadOnlySpan<DayEvent> events, Episode episode, long closed)
        {
            if (closed - episode.Opened > _lifetime || episode.OppositeFills.Count == 0 || episode.MaxOpposite >= _settings.MaxOppositeShare * episode.Peak)
            {
                return;
            }

            long placed = 0, filled = 0;
            foreach (int o in episode.Orders)
            {
                placed += _placed[o];
                filled += Math.Min(_filled[o], _placed[o]);
            }

            double filledShare = filled / (double)Math.Max(placed, 1);
            if (filledShare > _settings.MaxFilledShare)
            {
                return;
            }

            long others = OthersDepth(episode);
            if (episode.Peak < _settings.DepthMultiple * others)
            {
                return;
            }

            ref readonly DayEvent first = ref events[_new[episode.Orders[0]]];
            int side = first.Side == Side.Buy ? 0 : 1;
            double score = 50
                + (25 * Math.Min(1, episode.Peak / (2 * Math.Max(_large[side], 1))))
                + (25 * (1 - DayMath.Progress(filledShare, 0, _settings.MaxFilledShare)));
            string against = others > 0 ? AlertEvidence.Say($"{episode.Peak / (double)others:0.#} × everyone else's") : "alone in the book's";
            _flagged.Add((episode, score, AlertEvidence.Say($"Owner {day.Name(first.Owner)} displayed {episode.Peak:N0} on the {first.Side} side ({episode.Peak / Math.Max(_large[side] / _settings.SizeMultiple, 1):0.#} × the side's median order, {against} depth at those prices) in {episode.Orders.Count} order(s), traded {episode.OppositeFills.Count} time(s) on the other side and took it down within {TimeSpan.FromTicks(closed - episode.Opened).TotalSeconds:0.#} s, {filledShare:P0} filled.")));
        }

        /// <summary>The alerts of the flagged episodes, once the day is replayed: their orders' cancels may come after the episode closed.</summary>
        void Report(SymbolDay day, ReadOnlySpan<DayEvent> events, ICollection<Alert> alerts)
        {
            foreach ((Episode episode, double score, string summary) in _flagged)
            {
                var evidence = new AlertEvidence();
                foreach (int o in episode.Orders)
                {
                    evidence.Add(_new[o]);
                    if (_cancel[o] >= 0)
                    {
                        evidence.Add(_cancel[o]);
                    }
                }

                evidence.AddRange(episode.OppositeFills);
                alerts.Add(evidence.ToAlert(RuleName, day, events, score, summary));
            }
        }
    }

    /// <summary>One owner-side's large displayed quantity, from when it appeared.</summary>
    sealed class Episode(int key, long opened, long peak, long opposite)
    {
        public int Key { get; } = key;

        public long Opened { get; } = opened;

        public long Peak { get; set; } = peak;

        public long MaxOpposite { get; set; } = opposite;

        public List<int> Orders { get; } = [];

        public List<int> OppositeFills { get; } = [];
    }
}

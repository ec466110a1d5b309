using Orchestration.Workflows.FraudScan;

namespace Orchestration.MarketGen;

/// <summary>
/// One symbol's day in the realistic mode: a price-time priority limit order book (one consolidated book; the venue is a
/// label), an event queue of participants' actions, and the fair value they trade around (a random walk with news jumps).
/// Self-trade prevention cancels the resting order when an owner's order would meet its own.
/// </summary>
sealed partial class SymbolBook
{
    /// <summary>
    /// Events one arrival brings on average, a first guess: sets the arrival rate from the symbol's share of events until
    /// the symbol's own yield is known. The yield depends on the symbol (fewer requotes change price when arrivals are
    /// frequent, more makers get filled in busy symbols: 6 to 9 measured), so the rate follows the yield seen so far.
    /// </summary>
    const double EventsPerArrival = 7.2;

    /// <summary>How many arrivals' worth of the first guess the measured yield is blended with.</summary>
    const double YieldPrior = 50;

    const double DailyVolatility = 0.015;
    static readonly string[] Venues = ["XNAS", "XNYS", "BATS", "ARCX", "EDGX"];

    readonly RealisticSymbol _symbol;
    readonly Prng _random;
    readonly RealisticMarket.Cast _cast;
    readonly RealisticMarket.Ids _ids;
    readonly RealisticMarket.Quota _quota;
    readonly long _open;
    readonly long _close;
    readonly double _arrivalsPerSecond;
    readonly PriorityQueue<Action<long>, (long Time, long Sequence)> _queue = new();
    readonly List<Order> _bids = [];
    readonly List<Order> _asks = [];
    readonly List<Order> _closing = [];
    readonly List<MarketEvent> _events;
    readonly List<Collector> _collectors = [];
    readonly Account[] _makers;
    readonly Dictionary<Account, (Order? Bid, Order? Ask, long Inventory)> _quotes = [];
    long _sequence;
    long _lastTime;
    long _emitted;
    long _arrivals;
    double _fair;
    double _intensity = 1;
    long _intensityUntil;

    public SymbolBook(RealisticSymbol symbol, Prng random, RealisticMarket.Cast cast, RealisticMarket.Ids ids, long open, double events, RealisticMarket.Quota quota)
    {
        _symbol = symbol;
        _random = random;
        _cast = cast;
        _ids = ids;
        _quota = quota;
        _open = open;
        _close = open + (Universe.SessionMinutes * TimeSpan.TicksPerMinute);
        _arrivalsPerSecond = events / EventsPerArrival / (Universe.SessionMinutes * 60.0);

        // The day's events stay readable while it is made (planting looks back at them); sized to the symbol's share so
        // the busiest symbol's list is not copied as it grows.
        _events = new List<MarketEvent>((int)Math.Min(events * 1.1, 1 << 28) + 64);
        _fair = symbol.Price;
        _lastWalk = open;
        int makers = symbol.Rank < 10 ? 3 : symbol.Rank < 50 ? 2 : 1;
        _makers = [.. Enumerable.Range(0, makers).Select(k => cast.MarketMakers[(symbol.Rank + k) % cast.MarketMakers.Count])];
        foreach (Account maker in _makers)
        {
            _quotes[maker] = (null, null, 0);
        }
    }

    public List<NewsEvent> News { get; } = [];

    public List<PlantedCase> Cases { get; } = [];

    /// <summary>Where each event also goes as it is made (a file writer), besides the list <see cref="Run"/> returns.</summary>
    public Action<MarketEvent>? Sink { get; init; }

    long Lot => _symbol.Lot;

    static long Tick(double price) => (long)Math.Round(price * 100);

    /// <summary>Half the spread market makers quote, in cents: about 4 basis points, at least a cent.</summary>
    long HalfSpread => Math.Max(1, (long)Math.Round(_fair * 0.0004 * 100));

    public List<MarketEvent> Run()
    {
        foreach (Account maker in _makers)
        {
            Schedule(_open + Seconds(_random.Between(0.0, 2.0)), t => Refresh(maker, t));
        }

        Schedule(_open + Seconds(_random.Exponential(1 / Math.Max(_arrivalsPerSecond, 1e-6))), Arrival);
        PlanAgency();
        PlanResting();
        PlanNews();
        PlanHedge();
        PlanClose();
        PlanAbuse();
        PlanFrontRunning();
        PlanMarkingTheClose();
        PlanTradingAheadOfNews();
        PlanUnusualVolume();
        Schedule(_close, Cross);
        if (_symbol.Rank < 40 && _quota.Take("making"))
        {
            // A market maker's ordinary two minutes: quotes on both sides, most cancelled within seconds, flips against the market.
            Account maker = _makers[0];
            long from = _open + Seconds(_random.Between(1800.0, 20000.0));
            string note = $"Hard negative: market maker {maker.Id} quoting both sides for two minutes (most quotes cancelled unfilled within seconds, inventory flipped against different counterparties).";
            Collect(new Collector("spoofing", maker.Id, [maker.Id], note) { From = from, Until = from + Seconds(120) });
            Collect(new Collector("wash-trade", maker.Id, [maker.Id], note) { From = from, Until = from + Seconds(120), TradesOnly = true });
        }

        while (_queue.TryDequeue(out Action<long>? action, out var key))
        {
            if (key.Time > _close)
            {
                break;
            }

            _lastTime = Math.Max(_lastTime, key.Time);
            action(_lastTime);
        }

        foreach (Collector c in _collectors.Where(c => c.Ids.Count > 0))
        {
            Cases.Add(new PlantedCase(c.Rule, _symbol.Ticker, c.Accounts ?? [.. c.Seen], c.Ids, Decoy: !c.Abuse, c.Note));
        }

        return _events;
    }

    void Schedule(long time, Action<long> action) => _queue.Enqueue(action, (time, _sequence++));

    static long Seconds(double seconds) => (long)(seconds * TimeSpan.TicksPerSecond);

    double Shape(long time) => NormalFlow.Shape(Math.Clamp((int)((time - _open) / TimeSpan.TicksPerMinute), 0, Universe.SessionMinutes - 1));

    // ---- the flow -------------------------------------------------------------------------------------------------

    void Arrival(long time)
    {
        Walk(time);
        _arrivals++;
        double yield = (_emitted + (EventsPerArrival * YieldPrior)) / (_arrivals + YieldPrior);
        double rate = Math.Max(_arrivalsPerSecond * (EventsPerArrival / yield) * Shape(time) * (time < _intensityUntil ? _intensity : 1), 1e-6);
        Schedule(time + Math.Max(1, Seconds(_random.Exponential(1 / rate))), Arrival);
        double u = _random.NextDouble();
        if (u < 0.6)
        {
            // Market makers flicker: a reprice is often followed by another within a second or two.
            Account maker = _makers[_random.Next(_makers.Length)];
            Refresh(maker, time);
            if (_random.Chance(0.7))
            {
                Schedule(time + Seconds(_random.Exponential(0.8)), t => Refresh(maker, t));
            }
        }
        else if (u < 0.73)
        {
            Retail(time);
        }
        else if (u < 0.88)
        {
            Prop(time);
        }
        else if (time >= _close - TimeSpan.FromMinutes(10).Ticks && u < 0.94)
        {
            MarketOnClose(time, _random.Pick(_cast.Retail), Lot * _random.Between(1, 10), null);
        }
        else
        {
            PassiveClient(time);
        }
    }

    void Walk(long time)
    {
        double dt = Math.Max(0, time - _lastWalk) / (double)TimeSpan.TicksPerSecond;
        _lastWalk = time;
        _fair *= Math.Exp(DailyVolatility / Math.Sqrt(Universe.SessionMinutes * 60.0) * Math.Sqrt(dt) * _random.Gaussian());
        _fair = Math.Max(_fair, 0.5);
    }

    long _lastWalk;

    /// <summary>A market maker cancels its quotes and quotes again around the fair value, skewed against its inventory.</summary>
    void Refresh(Account maker, long time)
    {
        var (bid, ask, inventory) = _quotes[maker];
        long limit = RealisticMarket.InventoryLimitLots * Lot;
        long skew = (long)Math.Round(inventory / (double)limit * HalfSpread);
        long fair = Tick(_fair);
        long bidPrice = fair - HalfSpread - skew - _random.Next(2);
        long askPrice = fair + HalfSpread - skew + _random.Next(2);
        bid = Requote(maker, bid, Side.Buy, inventory < limit ? bidPrice : 0, time);
        ask = Requote(maker, ask, Side.Sell, inventory > -limit ? askPrice : 0, time);
        _quotes[maker] = (bid, ask, _quotes[maker].Inventory);
    }

    Order? Requote(Account maker, Order? current, Side side, long price, long time)
    {
        if (current is { Live: true } && current.Price == price && _random.Chance(0.3))
        {
            return current;
        }

        if (current is { Live: true })
        {
            Cancel(current, time);
        }

        return price <= 0 ? null : Submit(time, maker, side, price, Lot * _random.Between(1, RealisticMarket.MaxQuoteLots), rest: true);
    }

    void Retail(long time)
    {
        Account account = _random.Pick(_cast.Retail);
        Side side = Lean(time);
        long quantity = Lot * _random.Between(1, 3);
        Aggressive(time, account, side, quantity);
    }

    /// <summary>A prop trader takes liquidity; often flips the position back within a minute, against whoever is there.</summary>
    void Prop(long time)
    {
        Account account = _random.Pick(_cast.Prop);
        Side side = _random.Chance(0.5) ? Side.Buy : Side.Sell;
        long quantity = Lot * _random.Between(1, 4);
        Collector? flip = _symbol.Rank < 40 && _random.Chance(0.3) && _quota.Take("flip")
            ? Collect(new Collector("wash-trade", account.Id, [account.Id], "Hard negative: a prop trader's inventory flip, bought and sold the same size within a minute against different counterparties.") { TradesOnly = true, Until = time + Seconds(60) })
            : null;
        Aggressive(time, account, side, quantity);
        if (_random.Chance(0.4) || flip is not null)
        {
            Schedule(time + Seconds(_random.Between(2.0, 50.0)), t =>
            {
                Aggressive(t, account, Opposite(side), quantity);
                flip?.Stop(t);
            });
        }
    }

    void PassiveClient(long time)
    {
        Account account = _random.Pick(_cast.Retail);
        Side side = Lean(time);
        long best = side == Side.Buy ? BestPrice(_bids, Tick(_fair) - HalfSpread) : BestPrice(_asks, Tick(_fair) + HalfSpread);
        long price = side == Side.Buy ? best - _random.Next(4) : best + _random.Next(4);
        Order order = Submit(time, account, side, price, Lot * _random.Between(1, 4), rest: true);
        if (_random.Chance(0.7))
        {
            Schedule(time + Seconds(_random.Exponential(300)), t => Cancel(order, t));
        }
    }

    /// <summary>Which way takers lean: towards the fair value when the book lags it.</summary>
    Side Lean(long time)
    {
        long mid = (BestPrice(_bids, Tick(_fair)) + BestPrice(_asks, Tick(_fair))) / 2;
        double up = Math.Clamp(0.5 + ((Tick(_fair) - mid) / (double)(4 * HalfSpread)), 0.2, 0.8);
        return _random.Chance(up) ? Side.Buy : Side.Sell;
    }

    /// <summary>A marketable limit order a few cents through the best price; what is left is cancelled (immediate or cancel).</summary>
    void Aggressive(long time, Account account, Side side, long quantity)
    {
        List<Order> opposite = side == Side.Buy ? _asks : _bids;
        long reference = BestPrice(opposite, side == Side.Buy ? Tick(_fair) + HalfSpread : Tick(_fair) - HalfSpread);
        long price = side == Side.Buy ? reference + _random.Next(3) : Math.Max(1, reference - _random.Next(3));
        Submit(time, account, side, price, quantity, rest: false);
    }

    // ---- agency, resting, news, hedge, close ---------------------------------------------------------------------

    /// <summary>Parent orders of institutions, worked by their broker's algorithm in child orders over one to four hours.</summary>
    void PlanAgency()
    {
        int parents = (int)((_arrivalsPerSecond * 23400 / 400) + _random.NextDouble());
        for (int p = 0; p < parents; p++)
        {
            Account client = _random.Pick(_cast.Institutions);
            Side side = _random.Chance(0.5) ? Side.Buy : Side.Sell;
            long start = _open + Seconds(_random.Between(60.0, 14000.0));
            long duration = Seconds(_random.Between(3600.0, 14400.0));
            long size = Lot * _random.Between(30, 200);
            Collector? label = _quota.Take("agency")
                ? Collect(new Collector("unusual-volume", client.Id, [client.Id], $"Hard negative: {client.Firm}'s algorithm working {client.Id}'s parent order of {size} shares in child orders over {duration / TimeSpan.TicksPerMinute} minutes.") { Until = start + duration })
                : null;
            long remaining = size;
            long step = Math.Max(Seconds(20), duration / Math.Max(1, size / Lot / 2));
            void Child(long t)
            {
                if (remaining <= 0 || t >= start + duration || t >= _close - Seconds(60))
                {
                    label?.Stop(t);
                    return;
                }

                long quantity = Math.Min(remaining, Lot * _random.Between(1, 4));
                long filled;
                if (_random.Chance(0.6))
                {
                    filled = Submit(t, client, side, side == Side.Buy ? BestPrice(_asks, Tick(_fair) + HalfSpread) : BestPrice(_bids, Tick(_fair) - HalfSpread), quantity, rest: false).Filled;
                }
                else
                {
                    Order child = Submit(t, client, side, side == Side.Buy ? BestPrice(_bids, Tick(_fair) - HalfSpread) : BestPrice(_asks, Tick(_fair) + HalfSpread), quantity, rest: true);
                    filled = child.Filled;
                    Schedule(t + Seconds(_random.Between(30.0, 120.0)), c => Cancel(child, c));
                }

                remaining -= filled;
                Schedule(t + (long)(step * _random.Between(0.5, 1.5)), Child);
            }

            Schedule(start, Child);
        }
    }

    /// <summary>Large client orders resting away from the price for hours, then cancelled (or left at the close).</summary>
    void PlanResting()
    {
        int count = _symbol.Rank < 30 ? _random.Between(1, 3) : _random.Chance(0.3) ? 1 : 0;
        for (int n = 0; n < count; n++)
        {
            Account client = _random.Pick(_cast.Institutions);
            Side side = _random.Chance(0.5) ? Side.Buy : Side.Sell;
            long start = _open + Seconds(_random.Between(300.0, 12000.0));
            Schedule(start, t =>
            {
                long away = HalfSpread * _random.Between(5, 25);
                long price = side == Side.Buy ? Tick(_fair) - away : Tick(_fair) + away;
                Collector? label = _quota.Take("resting")
                    ? Collect(new Collector("spoofing", client.Id, [client.Id], "Hard negative: a large client order resting on one side for hours, bona fide (filled if the price comes to it)."))
                    : null;
                Order order = Submit(t, client, side, Math.Max(1, price), Lot * _random.Between(100, 400), rest: true);
                long cancelAt = t + Seconds(_random.Between(3600.0, 18000.0));
                if (cancelAt < _close)
                {
                    Schedule(cancelAt, c =>
                    {
                        Cancel(order, c);
                        label?.Stop(c);
                    });
                }
                else
                {
                    label?.Stop(_close);
                }
            });
        }
    }

    /// <summary>Low items everywhere, medium now and then, high rarely: a jump in the fair value and a burst of trading by many owners.</summary>
    void PlanNews()
    {
        double busy = Math.Min(1, _arrivalsPerSecond * 5);
        int low = _random.Between(0, 2) + (_random.Chance(busy) ? 1 : 0);
        int medium = _random.Chance(0.2 + (0.3 * busy)) ? 1 : 0;
        int high = _random.Chance(0.04 + (0.2 * busy)) ? 1 : 0;
        for (int n = 0; n < low + medium + high; n++)
        {
            long time = _open + Seconds(_random.Between(600.0, 22000.0));
            (string level, double materiality) = n < low ? ("low", _random.Between(0.05, 0.3)) : n < low + medium ? ("medium", _random.Between(0.4, 0.6)) : ("high", _random.Between(0.75, 0.95));
            double move = level == "high" ? _random.Between(0.02, 0.06) : level == "medium" ? _random.Between(0.003, 0.01) : 0;
            bool up = _random.Chance(0.5);
            News.Add(new NewsEvent(_symbol.Ticker, time, $"{_symbol.Ticker} {level} {(up ? "positive" : "negative")} item {n + 1}", Math.Round(materiality, 2)));
            Schedule(time, t =>
            {
                Walk(t);
                _fair *= up ? 1 + move : 1 - move;
                if (level == "high")
                {
                    _intensity = 5;
                    _intensityUntil = t + Seconds(900);
                    if (_quota.Take("news"))
                    {
                        Collect(new Collector("unusual-volume", null, null, "Hard negative: a burst of volume after high-materiality news, traded by many owners.") { TradesOnly = true, Until = t + Seconds(900) });
                    }
                }
            });
        }
    }

    /// <summary>A client's block order, then its broker's own desk trading the same side minutes after the client's fill.</summary>
    void PlanHedge()
    {
        if (_symbol.Rank >= 40 || !_random.Chance(0.5))
        {
            return;
        }

        Account client = _random.Pick(_cast.Institutions);
        Account desk = _cast.BrokerDesks.First(d => d.Firm == client.Firm);
        Side side = _random.Chance(0.5) ? Side.Buy : Side.Sell;
        long start = _open + Seconds(_random.Between(1800.0, 20000.0));
        Schedule(start, t =>
        {
            Collector? label = _quota.Take("hedge")
                ? Collect(new Collector("front-running", null, [client.Id, desk.Id], $"Hard negative: {desk.Firm}'s own desk trading the client's side after (not ahead of) {client.Id}'s block filled.") { TradesOnly = true, Only = [client.Id, desk.Id] })
                : null;
            Aggressive(t, client, side, Lot * _random.Between(15, 40));
            long after = t + Seconds(_random.Between(30.0, 180.0));
            for (int k = 0; k < 3; k++)
            {
                Schedule(after + Seconds(k * _random.Between(5.0, 30.0)), h => Aggressive(h, desk, side, Lot * _random.Between(2, 6)));
            }

            Schedule(after + Seconds(120), h => label?.Stop(h));
        });
    }

    void PlanClose()
    {
        if (_symbol.Rank < 5 && _random.Chance(0.7))
        {
            Account client = _random.Pick(_cast.Institutions);
            long at = _close - Seconds(_random.Between(60.0, 500.0));
            Schedule(at, t => MarketOnClose(t, client, Lot * _random.Between(30, 80), Collect(new Collector("marking-the-close", client.Id, [client.Id], $"Hard negative: one large on-close order by {client.Id} in a busy symbol, filled in the closing cross at the market's price.") { Only = [client.Id] })));
        }
    }

    /// <summary>
    /// Planted abuse, scaled to the symbol (sizes in its lots and against its market makers' quotes): wash trades (one owner
    /// on both sides through two accounts or a chain of three, or two owners trading a position back and forth) and
    /// spoofing (layers of large orders on one side, or one very large order, one or several trades on the other, the
    /// orders cancelled within seconds). Hard negatives: a prop flip against the only market maker of a thin symbol
    /// (wash-trade); a market maker quoting both sides in size after news and pulling both, and a trader quoting both
    /// sides in normal size cancelling one side after the other is filled (spoofing).
    /// </summary>
    void PlanAbuse()
    {
        if (_symbol.Rank % 3 == 0 && _quota.Take("abuse-wash"))
        {
            int n = _symbol.Rank;

            // Three shapes: one owner through two accounts; two owners trading a position back and forth; one owner
            // passing the position around a chain of three accounts.
            int shape = _random.Next(3);
            var first = new Account($"W{n:D4}A", $"OW{n:D4}", _cast.Brokers[n % _cast.Brokers.Count], "WASH", Capacity.Client);
            var second = new Account($"W{n:D4}B", shape == 1 ? $"OW{n:D4}X" : first.Owner, _cast.Brokers[(n + 1) % _cast.Brokers.Count], "WASH", Capacity.Client);
            var third = new Account($"W{n:D4}C", first.Owner, _cast.Brokers[(n + 2) % _cast.Brokers.Count], "WASH", Capacity.Client);
            Account[] ring = shape == 2 ? [first, second, third] : [first, second];
            long start = _open + Seconds(_random.Between(1800.0, 19000.0));
            int rounds = shape == 2 ? 3 : _random.Between(2, 4);
            Schedule(start, t =>
            {
                string note = shape switch
                {
                    0 => $"Wash trade: owner {first.Owner} on both sides through {first.Id} and {second.Id}, {rounds} times.",
                    1 => $"Wash trade: {first.Id} and {second.Id} trading the same position back and forth, {rounds} times.",
                    _ => $"Wash trade: owner {first.Owner} passing a position around {first.Id}, {second.Id} and {third.Id}.",
                };
                Collector label = Collect(new Collector("wash-trade", null, [.. ring.Select(a => a.Id)], note) { Abuse = true, TradesOnly = true, PairsOnly = true, Only = [.. ring.Select(a => a.Id)] });
                long quantity = Lot * _random.Between(2, 8);
                for (int r = 0; r < rounds; r++)
                {
                    (Account seller, Account buyer) = (ring[r % ring.Length], ring[(r + 1) % ring.Length]);
                    int tries = 0;
                    void Round(long w)
                    {
                        // Inside the spread only, where no one else's order is: the two accounts meet each other.
                        long bid = BestPrice(_bids, Tick(_fair) - HalfSpread), ask = BestPrice(_asks, Tick(_fair) + HalfSpread);
                        if (ask - bid < 2)
                        {
                            // Locked: wait for room inside the spread; after four minutes give the round up rather than trade
                            // into someone else's quote (that would be a trade with the market, not a wash).
                            if (++tries < 240)
                            {
                                Schedule(w + Seconds(1), Round);
                            }

                            return;
                        }

                        long price = Math.Clamp(Tick(_fair), bid + 1, Math.Max(bid + 1, ask - 1));
                        Order rest = Submit(w, seller, Side.Sell, price, quantity, rest: true);
                        Schedule(w + Seconds(_random.Between(0.05, 2.0)), b =>
                        {
                            if (rest.Remaining < quantity && ++tries < 240)
                            {
                                // Someone else hit the seller's order first: that leg went to the market, so arrange it again.
                                Cancel(rest, b);
                                Schedule(b + Seconds(2), Round);
                                return;
                            }

                            Submit(b, buyer, Side.Buy, price, Math.Max(Lot, rest.Remaining), rest: false, preventSelfTrade: false);
                            Cancel(rest, b);
                        });
                    }

                    Schedule(t + Seconds((r * _random.Between(20.0, 90.0)) + 1), Round);
                }

                Schedule(t + Seconds(600), w => label.Stop(w));
            });
        }

        if (_makers.Length == 1 && _symbol.Rank % 3 != 1 && _quota.Take("thin-flip"))
        {
            // Hard negative: in a thin symbol with one market maker, a prop trader buys the maker's offer (its size) and
            // sells it back into the maker's bid a few seconds later: the same two owners, back and forth, at about the
            // spread apart, against a quote that was resting before.
            Account prop = _random.Pick(_cast.Prop);
            Account maker = _makers[0];
            long start = _open + Seconds(_random.Between(1800.0, 20000.0));
            Schedule(start, t =>
            {
                if (_quotes[maker].Ask is not { Live: true } ask || _quotes[maker].Bid is not { Live: true })
                {
                    return;
                }

                Collector label = Collect(new Collector("wash-trade", null, [prop.Id, maker.Id], $"Hard negative: {prop.Id} flipping against {maker.Id}, the only market maker of a thin symbol (bought its offer, sold into its bid)") { TradesOnly = true, PairsOnly = true, Only = [prop.Id, maker.Id] });
                long bought = Submit(t, prop, Side.Buy, ask.Price, ask.Remaining, rest: false).Filled;
                Schedule(t + Seconds(_random.Between(3.0, 40.0)), w =>
                {
                    if (bought > 0 && _quotes[maker].Bid is { Live: true } bid)
                    {
                        Submit(w, prop, Side.Sell, bid.Price, Math.Min(bought, bid.Remaining), rest: false);
                    }

                    label.Stop(w);
                });
            });
        }

        if (_symbol.Rank % 3 == 1 && _quota.Take("abuse-spoof"))
        {
            int n = _symbol.Rank;
            var spoofer = new Account($"S{n:D4}", $"OS{n:D4}", _cast.Brokers[n % _cast.Brokers.Count], "SPOOF", Capacity.Client);
            long start = _open + Seconds(_random.Between(1800.0, 19000.0));

            // Three shapes: layers on several price levels and one trade on the other side; one very large order; layers
            // and several trades on the other side while they are displayed.
            int shape = _random.Next(3);
            Schedule(start, t =>
            {
                Side fake = _random.Chance(0.5) ? Side.Buy : Side.Sell;
                string how = shape switch
                {
                    0 => $"layered large {fake} orders (15-30 lots each against quotes of 1-{RealisticMarket.MaxQuoteLots}), traded the other side once",
                    1 => $"placed one very large {fake} order (40-80 lots against quotes of 1-{RealisticMarket.MaxQuoteLots}), traded the other side",
                    _ => $"layered large {fake} orders, traded the other side several times",
                };
                Collector label = Collect(new Collector("spoofing", spoofer.Id, [spoofer.Id], $"Spoofing: {spoofer.Id} {how} and cancelled them within seconds.") { Abuse = true });
                var layers = new List<Order>();
                int count = shape == 1 ? 1 : _random.Between(3, 5);
                for (int k = 0; k < count; k++)
                {
                    int level = k;
                    long size = Lot * (shape == 1 ? _random.Between(40, 80) : _random.Between(15, 30));
                    Schedule(t + Seconds(k * 0.2), l =>
                    {
                        // Behind the best price of its side, never marketable: the layers are there to be seen, not to trade.
                        long bid = BestPrice(_bids, Tick(_fair) - HalfSpread), ask = BestPrice(_asks, Tick(_fair) + HalfSpread);
                        long price = fake == Side.Buy ? Math.Min(bid, ask - 1) - 1 - level : Math.Max(ask, bid + 1) + 1 + level;
                        layers.Add(Submit(l, spoofer, fake, Math.Max(1, price), size, rest: true));
                    });
                }

                long trade = t + Seconds(count * 0.2) + Seconds(_random.Between(1.0, 4.0));
                int trades = shape == 2 ? _random.Between(2, 4) : 1;
                var genuine = new List<Order>();
                for (int k = 0; k < trades; k++)
                {
                    Schedule(trade + Seconds(k * _random.Between(1.0, 3.0)), w =>
                    {
                        // The genuine order takes the best price only, above (or below) the spoofer's own layers; not
                        // when the market has come down (or up) to a layer: the spoofer does not trade into its own orders.
                        Side real = Opposite(fake);
                        List<Order> against = real == Side.Sell ? _bids : _asks;
                        if (against.Count > 0 && against[0].Account.Owner == spoofer.Owner)
                        {
                            return;
                        }

                        long at = real == Side.Sell ? BestPrice(_bids, Tick(_fair) - HalfSpread) : BestPrice(_asks, Tick(_fair) + HalfSpread);
                        genuine.Add(Submit(w, spoofer, real, at, Lot * _random.Between(2, 6), rest: false));
                    });
                }

                Schedule(trade + Seconds((trades * 3.0) + _random.Between(0.5, 3.0)), c =>
                {
                    foreach (Order layer in layers)
                    {
                        Cancel(layer, c);
                    }

                    label.Stop(c);
                    if (genuine.TrueForAll(g => g.Filled == 0) || layers.Sum(l => l.Filled) * 2 > layers.Sum(l => l.Filled + l.Remaining))
                    {
                        // Nothing traded on the other side, or the market executed most of the size shown: not a spoof
                        // (the orders traded like bona fide ones), and not labelled as one.
                        _collectors.Remove(label);
                    }
                });
            });
        }

        if (_symbol.Rank < 60 && News.Count > 0 && _quota.Take("pull-quotes"))
        {
            // Hard negative: after a news item a market maker quotes both sides in size, one side is hit, and it pulls
            // both quotes within seconds (large, cancelled quickly, a fill on the other side, but two-sided).
            Account maker = _makers[0];
            NewsEvent item = News[_random.Next(News.Count)];
            long at = item.Timestamp + Seconds(_random.Between(0.5, 5.0));
            Schedule(at, t =>
            {
                // Sized so that even if both quotes were filled the maker stays within its inventory limit.
                long size = _random.Between(15, 30), lots = _quotes[maker].Inventory / Lot;
                long bidLots = Math.Min(size, RealisticMarket.InventoryLimitLots - lots), askLots = Math.Min(size, RealisticMarket.InventoryLimitLots + lots);
                if (bidLots < 10 || askLots < 10)
                {
                    return;
                }

                Collector label = Collect(new Collector("spoofing", maker.Id, [maker.Id], $"Hard negative: market maker {maker.Id} quoting both sides in size after news, one side hit, both quotes pulled within seconds.") { From = t });
                long wide = HalfSpread * _random.Between(6, 10); // wide: beyond what ordinary marketable orders reach
                Order ask = Submit(t, maker, Side.Sell, Tick(_fair) + wide, Lot * askLots, rest: true);
                Order bid = Submit(t, maker, Side.Buy, Math.Max(1, Tick(_fair) - wide), Lot * bidLots, rest: true);
                Schedule(t + Seconds(_random.Between(0.5, 2.0)), h =>
                {
                    // The side that brings the maker's inventory back towards flat is the one hit (it stays within its limit).
                    bool hitAsk = _quotes[maker].Inventory >= 0;
                    Submit(h, _random.Pick(_cast.Retail), hitAsk ? Side.Buy : Side.Sell, (hitAsk ? ask : bid).Price, Lot * _random.Between(1, 3), rest: false);
                });
                Schedule(t + Seconds(_random.Between(3.0, 8.0)), c =>
                {
                    Cancel(ask, c);
                    Cancel(bid, c);
                    label.Stop(c);
                });
            });
        }

        if (_quota.Take("two-sided"))
        {
            // Hard negative: a prop trader quoting both sides in its normal size; the offer (or bid) is hit and it cancels
            // the other side at once.
            Account trader = _random.Pick(_cast.Prop);
            long at = _open + Seconds(_random.Between(1800.0, 20000.0));
            Schedule(at, t =>
            {
                Collector label = Collect(new Collector("spoofing", trader.Id, [trader.Id], $"Hard negative: {trader.Id} quoting both sides in its normal size, one side filled, the other cancelled within seconds.") { From = t });
                Order bid = Submit(t, trader, Side.Buy, BestPrice(_bids, Tick(_fair) - HalfSpread), Lot * _random.Between(1, 3), rest: true);
                Order ask = Submit(t, trader, Side.Sell, BestPrice(_asks, Tick(_fair) + HalfSpread), Lot * _random.Between(1, 3), rest: true);
                bool hitAsk = _random.Chance(0.5);
                Order hit = hitAsk ? ask : bid;
                Schedule(t + Seconds(_random.Between(0.5, 3.0)), h => Submit(h, _random.Pick(_cast.Retail), hitAsk ? Side.Buy : Side.Sell, hit.Price, Lot * _random.Between(1, 3), rest: false));
                Schedule(t + Seconds(_random.Between(4.0, 8.0)), c =>
                {
                    Cancel(bid, c);
                    Cancel(ask, c);
                    label.Stop(c);
                    if (hit.Filled == 0)
                    {
                        _collectors.Remove(label);
                    }
                });
            });
        }
    }

    /// <summary>Planted front-running and its hard negatives (SymbolBook.FrontRunning.cs, when there is one).</summary>
    partial void PlanFrontRunning();

    /// <summary>Planted marking the close and its hard negatives (SymbolBook.MarkingTheClose.cs, when there is one).</summary>
    partial void PlanMarkingTheClose();

    /// <summary>Planted trading ahead of news and its hard negatives (SymbolBook.TradingAheadOfNews.cs, when there is one).</summary>
    partial void PlanTradingAheadOfNews();

    /// <summary>Planted unusual volume and its hard negatives (SymbolBook.UnusualVolume.cs, when there is one).</summary>
    partial void PlanUnusualVolume();

    /// <summary>An on-close order: a limit 5 % through the fair value, waiting for the cross.</summary>
    void MarketOnClose(long time, Account account, long quantity, Collector? label)
    {
        if (label is not null && !_quota.Take("close"))
        {
            _collectors.Remove(label);
        }

        Side side = _random.Chance(0.5) ? Side.Buy : Side.Sell;
        long price = Tick(_fair * (side == Side.Buy ? 1.05 : 0.95));
        var order = new Order(_ids.Order(), account, side, price, quantity, Venues[_random.Next(2)]);
        Emit(time, EventType.New, order, price, quantity, string.Empty);
        _closing.Add(order);
    }

    /// <summary>The closing cross: on-close orders matched at the fair value, in time priority, the imbalance left unfilled.</summary>
    void Cross(long time)
    {
        long price = Tick(_fair);
        var buys = _closing.Where(o => o.Side == Side.Buy && o.Price >= price).ToList();
        var sells = _closing.Where(o => o.Side == Side.Sell && o.Price <= price).ToList();
        int b = 0, s = 0;
        while (b < buys.Count && s < sells.Count)
        {
            Order buy = buys[b], sell = sells[s];
            if (buy.Account.Owner == sell.Account.Owner)
            {
                s++;
                continue;
            }

            long quantity = Math.Min(buy.Remaining, sell.Remaining);
            Fill(time, buy, sell, price, quantity);
            if (buy.Remaining == 0)
            {
                b++;
            }

            if (sell.Remaining == 0)
            {
                s++;
            }
        }

        foreach (Collector c in _collectors)
        {
            c.Stop(time);
        }
    }

    // ---- the book -------------------------------------------------------------------------------------------------

    static long BestPrice(List<Order> side, long otherwise)
    {
        if (side.Count == 0)
        {
            return otherwise;
        }

        return side[0].Price;
    }

    /// <summary>A new order: matched against the opposite side at the resting orders' prices, the rest resting or cancelled.</summary>
    Order Submit(long time, Account account, Side side, long price, long quantity, bool rest, bool preventSelfTrade = true)
    {
        var order = new Order(_ids.Order(), account, side, Math.Max(1, price), quantity, Venues[_random.Next(Venues.Length)]);
        Emit(time, EventType.New, order, order.Price, quantity, string.Empty);
        List<Order> opposite = side == Side.Buy ? _asks : _bids;
        while (order.Remaining > 0 && opposite.Count > 0)
        {
            Order best = opposite[0];
            if (side == Side.Buy ? best.Price > order.Price : best.Price < order.Price)
            {
                break;
            }

            if (best.Account.Owner == account.Owner && preventSelfTrade)
            {
                Cancel(best, time);
                continue;
            }

            long quantity1 = Math.Min(order.Remaining, best.Remaining);
            if (side == Side.Buy)
            {
                Fill(time, order, best, best.Price, quantity1);
            }
            else
            {
                Fill(time, best, order, best.Price, quantity1);
            }

            if (best.Remaining == 0)
            {
                opposite.RemoveAt(0);
                best.Live = false;
            }
        }

        if (order.Remaining == 0)
        {
            order.Live = false;
        }
        else if (rest)
        {
            Insert(side == Side.Buy ? _bids : _asks, order);
        }
        else
        {
            Cancel(order, time);
        }

        return order;
    }

    static void Insert(List<Order> side, Order order)
    {
        int i = 0;
        while (i < side.Count && (order.Side == Side.Buy ? side[i].Price >= order.Price : side[i].Price <= order.Price))
        {
            i++;
        }

        side.Insert(i, order);
    }

    void Fill(long time, Order buy, Order sell, long price, long quantity)
    {
        string exec = _ids.Execution();
        buy.Remaining -= quantity;
        sell.Remaining -= quantity;
        buy.Filled += quantity;
        sell.Filled += quantity;
        Emit(time, EventType.Trade, buy, price, quantity, exec);
        Emit(time, EventType.Trade, sell, price, quantity, exec);
        foreach ((Order o, long signed) in new[] { (buy, quantity), (sell, -quantity) })
        {
            if (_quotes.TryGetValue(o.Account, out var q))
            {
                _quotes[o.Account] = (q.Bid, q.Ask, q.Inventory + signed);

                // A filled market maker quotes again quickly, skewed to flip the inventory back out.
                Account maker = o.Account;
                Schedule(time + Seconds(_random.Between(0.05, 0.5)), t => Refresh(maker, t));
            }
        }

        if (buy.Remaining == 0)
        {
            buy.Live = false;
        }

        if (sell.Remaining == 0)
        {
            sell.Live = false;
        }
    }

    void Cancel(Order order, long time)
    {
        if (!order.Live)
        {
            return;
        }

        order.Live = false;
        (order.Side == Side.Buy ? _bids : _asks).Remove(order);
        Emit(time, EventType.Cancel, order, 0, 0, string.Empty);
    }

    void Emit(long time, EventType type, Order order, long price, long quantity, string exec)
    {
        _emitted++;
        var e = new MarketEvent(time, _ids.Event(), type, order.Id, order.Account.Id, order.Account.Owner, order.Account.Firm, order.Account.Trader, _symbol.Ticker, order.Side, price / 100.0, quantity, order.Venue, order.Account.Capacity, exec);
        _events.Add(e);
        Sink?.Invoke(e);

        foreach (Collector c in _collectors)
        {
            c.See(e);
        }
    }

    Collector Collect(Collector collector)
    {
        _collectors.Add(collector);
        return collector;
    }

    static Side Opposite(Side side) => side == Side.Buy ? Side.Sell : Side.Buy;

    sealed class Order(string id, Account account, Side side, long price, long quantity, string venue)
    {
        public string Id { get; } = id;

        public Account Account { get; } = account;

        public Side Side { get; } = side;

        /// <summary>Limit price in cents.</summary>
        public long Price { get; } = price;

        public long Remaining { get; set; } = quantity;

        public long Filled { get; set; }

        public string Venue { get; } = venue;

        public bool Live { get; set; } = true;
    }

    /// <summary>
    /// Gathers the ids of a hard negative's events as they are made: one account's (or, with <see cref="Account"/> null,
    /// everyone's) events until <see cref="Until"/> or <see cref="Stop"/>, trades only if asked.
    /// </summary>
    sealed class Collector(string rule, string? account, IReadOnlyList<string>? accounts, string note)
    {
        const int MaxIds = 200;

        public string Rule { get; } = rule;

        public IReadOnlyList<string>? Accounts { get; } = accounts;

        public string Note { get; } = note;

        public bool TradesOnly { get; init; }

        /// <summary>Trades only, and only executions with both sides among the collected accounts.</summary>
        public bool PairsOnly { get; init; }

        readonly Dictionary<string, string> _pending = new(StringComparer.Ordinal);

        /// <summary>A planted abuse (a case the rule must find), not a hard negative.</summary>
        public bool Abuse { get; init; }

        public long From { get; init; }

        public long Until { get; set; } = long.MaxValue;

        public IReadOnlyList<string>? Only { get; init; }

        public List<string> Ids { get; } = [];

        public SortedSet<string> Seen { get; } = new(StringComparer.Ordinal);

        public void Stop(long time) => Until = Math.Min(Until, time);

        public void See(MarketEvent e)
        {
            if (e.Timestamp < From || e.Timestamp > Until || Ids.Count >= MaxIds || (TradesOnly && e.Type != EventType.Trade))
            {
                return;
            }

            if ((account is not null && e.Account != account) || (Only is not null && !Only.Contains(e.Account)))
            {
                return;
            }

            if (PairsOnly)
            {
                // Only executions whose both sides are the case's: the first side waits for the second.
                if (_pending.Remove(e.ExecId, out string? first))
                {
                    Ids.Add(first);
                    Ids.Add(e.EventId);
                }
                else
                {
                    _pending[e.ExecId] = e.EventId;
                }

                return;
            }

            Ids.Add(e.EventId);
            if (Accounts is null && Seen.Count < 50)
            {
                Seen.Add(e.Account);
            }
        }
    }
}

using Orchestration.Workflows.FraudScan;

namespace Orchestration.MarketGen;

/// <summary>
/// Planted unusual volume (ramping) and its hard negatives, scaled to the symbol: sizes are in its lots and in multiples of
/// the volume it has traded so far that day, adjusted to the time of day (<see cref="ExpectedVolume"/>).
/// </summary>
sealed partial class SymbolBook
{
    /// <summary>
    /// Cases: one owner ramping a symbol with many aggressive orders over 10–20 minutes, at least twice what the whole symbol
    /// usually trades in that time (a thin symbol: one account; a split ramp: two accounts of one owner; a busy symbol:
    /// the same, large against the symbol). Hard negatives: a market maker's heavy but ordinary two-sided volume for ten
    /// minutes; a usually quiet retail owner's busy quarter hour that stays small against the symbol.
    /// </summary>
    partial void PlanUnusualVolume()
    {
        int n = _symbol.Rank;
        if (n % 4 == 2 && _quota.Take("abuse-ramp"))
        {
            bool split = n % 8 == 6;
            var first = new Account($"V{n:D4}A", $"OV{n:D4}", _cast.Brokers[n % _cast.Brokers.Count], "RAMP", Capacity.Client);
            Account[] accounts = split ? [first, new Account($"V{n:D4}B", first.Owner, _cast.Brokers[(n + 2) % _cast.Brokers.Count], "RAMP", Capacity.Client)] : [first];
            long start = _open + Seconds(_random.Between(2400.0, 20000.0));
            long duration = Seconds(_random.Between(600.0, 1200.0));
            Side side = _random.Chance(0.5) ? Side.Buy : Side.Sell;
            double multiple = _random.Between(2.0, 4.0);
            Schedule(start, t =>
            {
                long total = Math.Max(Lot * _random.Between(30, 50), (long)(multiple * ExpectedVolume(t, t + duration)));
                var ids = accounts.Select(a => a.Id).ToList();
                Collector label = Collect(new Collector("unusual-volume", null, ids, $"Unusual volume: owner {first.Owner} ramped a symbol with aggressive {side} orders for {duration / TimeSpan.TicksPerMinute} minutes, asking {total:N0} shares ({multiple:0.#}x the symbol's usual volume for that time){(split ? $" through {ids[0]} and {ids[1]}" : "")}.") { Abuse = true, TradesOnly = true, Only = ids });
                Ramp(t, accounts, side, total, duration, (end, fills) =>
                {
                    label.Stop(end);
                    if (!WasUnusual(fills))
                    {
                        // The book did not give enough: not unusual in fact, and not labelled as such.
                        _collectors.Remove(label);
                    }
                });
            });
        }

        if (n % 4 == 3 && _quota.Take("maker-volume"))
        {
            Account maker = _makers[0];
            long from = _open + Seconds(_random.Between(2400.0, 20000.0));
            Collect(new Collector("unusual-volume", maker.Id, [maker.Id], $"Hard negative: market maker {maker.Id}'s heavy but ordinary two-sided volume for ten minutes.") { From = from, Until = from + Seconds(600), TradesOnly = true });
        }

        if (n < 30 && n % 3 == 0 && _quota.Take("quiet-retail"))
        {
            // One owner in 25 has two accounts; any retail client stands for a usually quiet owner.
            Account client = _random.Pick(_cast.Retail);
            long start = _open + Seconds(_random.Between(2400.0, 20000.0));
            Schedule(start, t =>
            {
                long expected = (long)ExpectedVolume(t, t + Seconds(900));
                int trades = _random.Between(5, 9);
                long clip = Math.Max(Lot, expected / 20 / trades / Lot * Lot);
                if (clip * trades * 10 > expected)
                {
                    // Not small against this symbol: no label, and no trading either.
                    return;
                }

                Collector label = Collect(new Collector("unusual-volume", client.Id, [client.Id], $"Hard negative: retail client {client.Id}'s busy quarter hour ({trades} orders of {clip:N0}), small against the symbol's volume.") { TradesOnly = true, Until = t + Seconds(900) });
                Side side = _random.Chance(0.5) ? Side.Buy : Side.Sell;
                for (int k = 0; k < trades; k++)
                {
                    Schedule(t + Seconds(k * 900.0 / trades), a => Aggressive(a, client, side, clip));
                }
            });
        }
    }

    /// <summary>
    /// Aggressive orders of one side, through <paramref name="accounts"/> in turn, until <paramref name="total"/> has traded or
    /// <paramref name="duration"/> has passed: 10 to 25 orders, sooner and further through when the book gave less than asked. Then
    /// <paramref name="done"/> gets the fills (time, quantity) of every order.
    /// </summary>
    void Ramp(long start, Account[] accounts, Side side, long total, long duration, Action<long, List<(long Time, long Quantity)>> done)
    {
        int orders = _random.Between(10, 25);
        total = Math.Max(Lot, total / Lot * Lot);
        long clip = Math.Max(Lot, (total / orders) / Lot * Lot);
        long step = duration / orders;
        long traded = 0;
        int k = 0;
        var fills = new List<(long Time, long Quantity)>();
        void Next(long t)
        {
            if (traded >= total || t >= start + duration || t >= _close - Seconds(60))
            {
                done(t, fills);
                return;
            }

            // Behind schedule (the book gave less than asked): pay further through, more often.
            bool behind = traded < total * (t - start) / (double)duration;
            List<Order> opposite = side == Side.Buy ? _asks : _bids;
            long reference = BestPrice(opposite, side == Side.Buy ? Tick(_fair) + HalfSpread : Tick(_fair) - HalfSpread);
            long through = HalfSpread * (behind ? _random.Between(4, 10) : _random.Between(2, 4));
            long price = side == Side.Buy ? reference + through : Math.Max(1, reference - through);
            long filled = Submit(t, accounts[k++ % accounts.Length], side, price, Math.Min(clip, total - traded), rest: false).Filled;
            traded += filled;
            if (filled > 0)
            {
                fills.Add((t, filled));
            }

            behind = traded < total * (t - start + step) / (double)duration;
            Schedule(t + (long)((behind ? step / 3.0 : step) * _random.Between(0.5, 1.5)), Next);
        }

        Next(start);
    }

    /// <summary>The most traded in any <paramref name="window"/> of <paramref name="fills"/>, and when that window starts.</summary>
    static (long Quantity, long From) Busiest(List<(long Time, long Quantity)> fills, long window)
    {
        (long best, long from) = (0, 0);
        long sum = 0;
        int lo = 0;
        for (int hi = 0; hi < fills.Count; hi++)
        {
            sum += fills[hi].Quantity;
            while (fills[hi].Time - fills[lo].Time >= window)
            {
                sum -= fills[lo++].Quantity;
            }

            if (sum > best)
            {
                (best, from) = (sum, fills[lo].Time);
            }
        }

        return (best, from);
    }

    /// <summary>
    /// Whether a ramp's fills are unusual volume in fact: in its busiest ten minutes the owner alone traded at least what
    /// the whole symbol usually trades then (it doubled the symbol's volume), and at least 5 lots (several times what most
    /// owners trade in a while: one order of 1–4 lots, often partly filled).
    /// </summary>
    bool WasUnusual(List<(long Time, long Quantity)> fills)
    {
        (long busiest, long from) = Busiest(fills, Seconds(600));
        return busiest >= Math.Max(Lot * 5, ExpectedVolume(from, from + Seconds(600)));
    }

    /// <summary>
    /// The volume (shares, each execution once) the symbol can be expected to trade in [<paramref name="from"/>,
    /// <paramref name="until"/>): what it traded so far today, per unit of the intraday profile, times the profile over that span.
    /// </summary>
    double ExpectedVolume(long from, long until)
    {
        long now = _lastTime;
        long traded = 0;
        foreach (MarketEvent e in _events)
        {
            if (e.Type == EventType.Trade && e.Side == Side.Buy && e.Timestamp <= now)
            {
                traded += e.Quantity;
            }
        }

        double past = ProfileBetween(_open, now);
        return past <= 0 ? 0 : traded / past * ProfileBetween(from, until);
    }

    /// <summary>The intraday profile (<see cref="NormalFlow.Shape"/>, per minute) summed over [from, until).</summary>
    double ProfileBetween(long from, long until)
    {
        double sum = 0;
        for (long t = from; t < until; t += TimeSpan.TicksPerMinute)
        {
            sum += Shape(t) * Math.Min(1, (until - t) / (double)TimeSpan.TicksPerMinute);
        }

        return sum;
    }
}

using Orchestration.Workflows.FraudScan;

namespace Orchestration.MarketGen;

/// <summary>Planted trading ahead of news and its hard negatives (runs after <see cref="PlanNews"/>: the day's items are known).</summary>
sealed partial class SymbolBook
{
    /// <summary>
    /// Cases, before each high item (an hour or more into the session), in the direction the news moves the price: one
    /// account accumulating over 10–28 minutes (inside the half hour before); the same owner split over two accounts; an account silent all day that
    /// ramps only in the minutes before the news. Sized to the symbol: a quiet position, built over 20 minutes or more, is
    /// 20–30 % of what the symbol trades in the half hour before the item (not unusual volume); a loud one is two to four times it, at least 30 lots (labelled for this
    /// rule only: the scan gives one case one alert, the most specific rule's). Hard negatives: the symbol's market maker quoting both sides in the half hour before the item; an
    /// agency parent order started hours before and worked through the item; trading by many owners just after the item;
    /// a position built before a low-materiality item (quiet, busy symbols only).
    /// </summary>
    partial void PlanTradingAheadOfNews()
    {
        int n = _symbol.Rank;
        foreach (NewsEvent item in News.ToList())
        {
            bool up = item.Headline.Contains("positive", StringComparison.Ordinal);
            Side side = up ? Side.Buy : Side.Sell;
            if (item.Materiality >= 0.7 && item.Timestamp >= _open + Seconds(3600))
            {
                PlantInsider(item, side, n);
                PlantNewsNegatives(item);
            }
            else if (item.Materiality < 0.35 && n < 40 && item.Timestamp >= _open + Seconds(3600) && _quota.Take("low-news-position"))
            {
                long duration = Seconds(_random.Between(900.0, 1500.0));
                var account = new Account($"L{n:D4}", $"OL{n:D4}", _cast.Brokers[n % _cast.Brokers.Count], "LOWNEWS", Capacity.Client);
                Schedule(item.Timestamp - duration - Seconds(60), t =>
                {
                    long total = (long)(0.3 * ExpectedVolume(t, t + duration)) / Lot * Lot;
                    if (total < Lot * 10)
                    {
                        return;
                    }

                    Collector label = Collect(new Collector("trading-ahead-of-news", account.Id, [account.Id], $"Hard negative: {account.Id} built a position of up to {total:N0} before a low-materiality item ({item.Materiality:0.##}).") { TradesOnly = true });
                    Ramp(t, [account], side, total, duration, (end, _) => label.Stop(end));
                });
            }
        }
    }

    void PlantInsider(NewsEvent item, Side side, int n)
    {
        if (!_quota.Take("abuse-news"))
        {
            return;
        }

        int shape = _random.Next(3);
        var first = new Account($"N{n:D4}A", $"ON{n:D4}", _cast.Brokers[n % _cast.Brokers.Count], "NEWS", Capacity.Client);
        Account[] accounts = shape == 1 ? [first, new Account($"N{n:D4}B", first.Owner, _cast.Brokers[(n + 3) % _cast.Brokers.Count], "NEWS", Capacity.Client)] : [first];
        long duration = Seconds(shape == 2 ? _random.Between(600.0, 900.0) : _random.Between(600.0, 1680.0));
        long start = item.Timestamp - duration - Seconds(_random.Between(10.0, 60.0));
        bool loud = _random.Chance(0.5);
        if (shape == 0 || shape == 1)
        {
            // An owner already known in the symbol: a few ordinary trades earlier in the day.
            for (int k = 0; k < 3; k++)
            {
                long at = _open + Seconds(_random.Between(300.0, Math.Max(400.0, (start - _open) / (double)TimeSpan.TicksPerSecond - 600)));
                Account who = accounts[k % accounts.Length];
                Schedule(at, t => Aggressive(t, who, _random.Chance(0.5) ? Side.Buy : Side.Sell, Lot * _random.Between(1, 2)));
            }
        }

        Schedule(start, t =>
        {
            // Quiet: a share of what the symbol trades in the half hour before the item; loud: a multiple of its volume then.
            double expected = ExpectedVolume(t, t + duration);
            long quiet = (long)(_random.Between(0.2, 0.3) * ExpectedVolume(item.Timestamp - Seconds(1800), item.Timestamp)) / Lot * Lot;
            bool isLoud = loud || quiet < Lot * 40 || duration < Seconds(1200);
            long total = isLoud ? Math.Max(Lot * _random.Between(30, 50), (long)(_random.Between(2.0, 4.0) * expected)) : quiet;
            var ids = accounts.Select(a => a.Id).ToList();
            string how = shape switch
            {
                1 => $"owner {first.Owner} split over {ids[0]} and {ids[1]}",
                2 => $"{ids[0]}, silent all day, ramped only then",
                _ => $"{ids[0]} accumulated",
            };
            string note = $"Trading ahead of news: {how}, {side} up to {total:N0} shares in the {duration / TimeSpan.TicksPerMinute} minutes before \"{item.Headline}\" (materiality {item.Materiality:0.##}).";
            Collector label = Collect(new Collector("trading-ahead-of-news", null, ids, note) { Abuse = true, TradesOnly = true, Only = ids, Until = item.Timestamp - 1 });
            Ramp(t, accounts, side, total, duration, (end, fills) =>
            {
                long filled = fills.Sum(f => f.Quantity);
                if (filled < Lot * 5 || filled < 0.1 * ExpectedVolume(item.Timestamp - Seconds(1800), item.Timestamp))
                {
                    // The book gave too little for a position that matters against the symbol: not labelled.
                    _collectors.Remove(label);
                }
            });
        });
    }

    void PlantNewsNegatives(NewsEvent item)
    {
        if (_quota.Take("news-maker"))
        {
            Account maker = _makers[0];
            Collect(new Collector("trading-ahead-of-news", maker.Id, [maker.Id], $"Hard negative: market maker {maker.Id} quoting both sides in the half hour before \"{item.Headline}\".") { From = item.Timestamp - Seconds(1800), Until = item.Timestamp - 1, TradesOnly = true });
        }

        if (_quota.Take("news-after"))
        {
            Schedule(item.Timestamp, t => Collect(new Collector("trading-ahead-of-news", null, null, $"Hard negative: many owners trading in the ten minutes after (not before) \"{item.Headline}\".") { TradesOnly = true, From = t, Until = t + Seconds(600) }));
        }

        if (_symbol.Rank < 40 && _quota.Take("news-agency"))
        {
            // A parent order worked all along: started hours before the item, still working after it.
            Account client = _random.Pick(_cast.Institutions);
            Side side = _random.Chance(0.5) ? Side.Buy : Side.Sell;
            long start = Math.Max(_open + Seconds(60), item.Timestamp - Seconds(_random.Between(3600.0, 7200.0)));
            long until = Math.Min(_close - Seconds(120), item.Timestamp + Seconds(3600));
            Schedule(start, t =>
            {
                long total = (long)(0.1 * ExpectedVolume(t, until)) / Lot * Lot;
                if (total < Lot * 10)
                {
                    // Too thin a symbol for a parent order that is small against it.
                    return;
                }

                Collect(new Collector("trading-ahead-of-news", client.Id, [client.Id], $"Hard negative: {client.Id}'s parent order of {total:N0} worked since {(item.Timestamp - t) / TimeSpan.TicksPerMinute} minutes before \"{item.Headline}\" and on after it.") { TradesOnly = true, From = item.Timestamp - Seconds(1800), Until = item.Timestamp - 1 });
                long step = Math.Max(Seconds(20), (until - t) / Math.Max(1, total / Lot));
                long remaining = total;
                void Child(long c)
                {
                    if (remaining <= 0 || c >= until)
                    {
                        return;
                    }

                    remaining -= Submit(c, client, side, side == Side.Buy ? BestPrice(_asks, Tick(_fair) + HalfSpread) : BestPrice(_bids, Tick(_fair) - HalfSpread), Math.Min(remaining, Lot * _random.Between(1, 3)), rest: false).Filled;
                    Schedule(c + (long)(step * _random.Between(0.5, 1.5)), Child);
                }

                Child(t);
            });
        }
    }
}

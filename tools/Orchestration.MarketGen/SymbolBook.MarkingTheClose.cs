using Orchestration.Workflows.FraudScan;

namespace Orchestration.MarketGen;

sealed partial class SymbolBook
{
    /// <summary>
    /// Planted marking the close: an account pushes the closing price — a burst of aggressive orders in the last minutes
    /// walking up (or down) the book, or on-close orders whose limit sets the closing cross's price, or both — by six to ten
    /// times the symbol's usual move over ten minutes (the walk's or its prints', grown with the time since its last print; or 6–10 spreads where the tick is coarse), with a third to a half of the
    /// closing period's volume. Hard negatives: one retail trade that is most of a thin symbol's closing volume; an
    /// institution's large on-close order at the market price (an index rebalance), with other institutions on the other side.
    /// </summary>
    partial void PlanMarkingTheClose()
    {
        int rank = _symbol.Rank;
        if (rank % 4 == 1 && _random.Chance(0.8) && _quota.Take("abuse-close"))
        {
            PlantMarkingTheClose();
        }
        else if (rank >= 60 && rank % 4 == 3 && _random.Chance(0.5) && _quota.Take("close-thin"))
        {
            Account retail = _random.Pick(_cast.Retail);
            long at = _close - Seconds(_random.Between(30.0, 500.0));
            Collect(new Collector("marking-the-close", retail.Id, [retail.Id], $"Hard negative: one retail order by {retail.Id}, most of a thin symbol's closing volume.") { From = at });
            Side side = _random.Chance(0.5) ? Side.Buy : Side.Sell;
            Schedule(at, t => Aggressive(t, retail, side, Lot * _random.Between(1, 3)));
        }
        else if (rank is >= 5 and < 60 && rank % 4 == 2 && _random.Chance(0.5) && _quota.Take("close-rebalance"))
        {
            Account index = _random.Pick(_cast.Institutions);
            Side side = _random.Chance(0.5) ? Side.Buy : Side.Sell;
            long at = _close - Seconds(_random.Between(60.0, 500.0));
            Collect(new Collector("marking-the-close", index.Id, [index.Id], $"Hard negative: {index.Id}'s large on-close order (an index rebalance) filled in the cross at the market's price.") { From = at });
            Schedule(at, t =>
            {
                long quantity = Math.Max(Lot * _random.Between(20, 60), (long)(ClosingVolumeSoFar(t) * _random.Between(0.5, 1.0)) / Lot * Lot);
                OnClose(t, index, side, Tick(_fair * (side == Side.Buy ? 1.05 : 0.95)), quantity);
                for (int k = 0; k < 3; k++)
                {
                    OnClose(t, _random.Pick(_cast.Institutions), Opposite(side), Tick(_fair * (side == Side.Buy ? 0.95 : 1.05)), Math.Max(Lot, quantity / 3 / Lot * Lot));
                }
            });
        }
    }

    void PlantMarkingTheClose()
    {
        int n = _symbol.Rank;
        var marker = new Account($"M{n:D4}", $"OM{n:D4}", _cast.Brokers[n % _cast.Brokers.Count], "CLOSE", Capacity.Client);
        Side side = _random.Chance(0.5) ? Side.Buy : Side.Sell;
        int shape = _random.Next(3); // 0: a burst of aggressive orders; 1: on-close orders setting the cross; 2: both
        string[] shapes = ["a burst of aggressive orders walking the book (what the book would not take, in the cross at the pushed price)", "on-close orders whose limit set the closing cross", "aggressive orders, then on-close orders at the pushed price"];
        long start = _close - Seconds(_random.Between(90.0, 360.0));
        Collector label = Collect(new Collector("marking-the-close", marker.Id, [marker.Id], $"Marking the close: {marker.Id} pushed the closing price {side} with {shapes[shape]}.") { Abuse = true, From = start });

        // The push: 6–10 times the walk's usual ten-minute move, or 6–10 quoted spreads (twice the half-spread and a cent on average) where the tick is coarse.
        double tenMinutes = DailyVolatility * Math.Sqrt(10.0 / Universe.SessionMinutes);
        double push = Math.Max(tenMinutes * _random.Between(6.0, 10.0), _random.Between(6.0, 10.0) * ((2 * HalfSpread) + 1) / (_fair * 100));
        double sign = side == Side.Buy ? 1 : -1;
        Schedule(start, t =>
        {
            // …and 6–10 times what the symbol's prints usually moved over ten minutes today, where they are noisier than the walk.
            push = Math.Max(push, UsualTenMinuteMove() * _random.Between(6.0, 10.0));
            long target = Math.Max(Lot * _random.Between(8, 20), (long)(ClosingVolumeSoFar(t) / Math.Max(0.1, 1 - ((_close - t) / (double)Seconds(600))) * _random.Between(0.4, 0.7)));
            double bought = 0;
            double before = LastTradePrice();
            if (shape != 1)
            {
                int steps = (int)Math.Clamp(target / Lot / 4, 4, 400);
                double gap = (_close - Seconds(10) - t) / (double)steps;
                for (int k = 0; k < steps; k++)
                {
                    int step = k;
                    Schedule(t + (long)(k * gap), s =>
                    {
                        // Every step pushes the price a little further; the size spreads what is still to trade over the steps left.
                        _fair *= 1 + (sign * push / steps);
                        long size = Math.Max(Lot * _random.Between(1, 3), (long)((target - bought) / (steps - step)) / Lot * Lot);
                        // Walking the book: through whatever rests up to a few half-spreads beyond the pushed price.
                        long limit = side == Side.Buy ? Tick(_fair) + (6 * HalfSpread) : Math.Max(1, Tick(_fair) - (6 * HalfSpread));
                        bought += Submit(s, marker, side, limit, size, rest: false).Filled;
                    });
                }
            }

            // On-close orders with a limit through the price they mean to print; the cross prints at that limit, which other
            // participants' on-close orders on the other side meet. A burst that the book would not take ends the same way.
            Schedule(_close - Seconds(_random.Between(5.0, shape == 0 ? 9.0 : 60.0)), c =>
            {
                // A third of the period's volume at least: what the burst did not reach, in the cross.
                long crossing = Math.Min(_closing.Where(o => o.Side == Side.Buy).Sum(o => o.Remaining), _closing.Where(o => o.Side == Side.Sell).Sum(o => o.Remaining));
                long shortOfAThird = (ClosingVolumeSoFar(c) + crossing - (3 * (long)bought)) / 2;
                if (shape == 0 && bought >= target && shortOfAThird <= 0 && sign * ((LastTradePrice() / before) - 1) >= push / 2)
                {
                    return;
                }

                long quantity = Math.Max(Math.Max(Lot * _random.Between(6, 15), shortOfAThird), (target - (long)bought) / (shape == 2 ? 2 : 1)) / Lot * Lot;
                // A thin symbol's last print may be long ago: the push grows with the square root of the time since (as the usual move does).
                double stale = Math.Sqrt(Math.Max(1, (c - LastTradeTime()) / (double)Seconds(600)));
                long limit = Tick(_fair * (1 + (sign * push * stale / (shape == 1 ? 1 : 2))));
                OnClose(c, marker, side, limit, quantity);
                long waiting = _closing.Where(o => o.Side == side && o.Account != marker).Sum(o => o.Remaining);
                long other = _closing.Where(o => o.Side != side).Sum(o => o.Remaining);
                long needed = Math.Max(0, waiting + quantity - other);
                int sellers = _random.Between(3, 5);
                for (int k = 0; k < sellers; k++)
                {
                    OnClose(c, _random.Pick(_cast.Institutions), Opposite(side), Tick(_fair * (side == Side.Buy ? 0.97 : 1.03)), Math.Max(Lot, (needed / sellers / Lot * Lot) + Lot));
                }

                Schedule(_close - 1, _ => _fair = limit / 100.0);
            });
        });
        Schedule(_close, t => label.Stop(t));
    }

    /// <summary>The median move of the symbol's last trade price from one ten minutes with trades to the next, so far today.</summary>
    double UsualTenMinuteMove()
    {
        var moves = new List<double>();
        double previous = double.NaN, last = double.NaN;
        long bucket = -1;
        foreach (MarketEvent e in _events)
        {
            if (e.Type != EventType.Trade)
            {
                continue;
            }

            long b = (e.Timestamp - _open) / Seconds(600);
            if (b != bucket && !double.IsNaN(last))
            {
                if (!double.IsNaN(previous))
                {
                    moves.Add(Math.Abs((last / previous) - 1));
                }

                previous = last;
            }

            bucket = b;
            last = e.Price;
        }

        moves.Sort();
        return moves.Count == 0 ? 0 : moves[moves.Count / 2];
    }

    long LastTradeTime()
    {
        for (int i = _events.Count - 1; i >= 0; i--)
        {
            if (_events[i].Type == EventType.Trade)
            {
                return _events[i].Timestamp;
            }
        }

        return _open;
    }

    double LastTradePrice()
    {
        for (int i = _events.Count - 1; i >= 0; i--)
        {
            if (_events[i].Type == EventType.Trade)
            {
                return _events[i].Price;
            }
        }

        return _fair;
    }

    /// <summary>The symbol's volume (each execution once) since the closing period began.</summary>
    long ClosingVolumeSoFar(long now)
    {
        long from = _close - Seconds(600), volume = 0;
        for (int i = _events.Count - 1; i >= 0 && _events[i].Timestamp >= from && _events[i].Timestamp <= now; i--)
        {
            if (_events[i].Type == EventType.Trade && _events[i].Side == Side.Buy)
            {
                volume += (long)_events[i].Quantity;
            }
        }

        return volume;
    }

    /// <summary>An on-close order of a chosen side and limit, waiting for the cross.</summary>
    void OnClose(long time, Account account, Side side, long price, long quantity)
    {
        var order = new Order(_ids.Order(), account, side, Math.Max(1, price), quantity, Venues[_random.Next(2)]);
        Emit(time, EventType.New, order, order.Price, quantity, string.Empty);
        _closing.Add(order);
    }
}

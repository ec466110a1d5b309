using Orchestration.Workflows.FraudScan;

namespace Orchestration.MarketGen;

sealed partial class SymbolBook
{
    /// <summary>
    /// Planted front-running (FINRA 5270): a broker's own desk trades a client's side within one to four minutes before the
    /// client's block reaches the market — in one trade, in several small ones, or ahead and then unwound into the price impact
    /// of the block — sometimes on top of the desk's ordinary small principal trading in the symbol. Blocks are scaled to the
    /// symbol (tens of its lots and a few per cent of its last hour's volume). Hard negatives: a market-making firm whose
    /// principal flow (both sides all day) happens to buy before a block of one of its clients; a desk trading the other way
    /// before its client's block; a desk trading ahead of a small client order.
    /// </summary>
    partial void PlanFrontRunning()
    {
        int rank = _symbol.Rank;
        if (rank % 5 == 2 && _random.Chance(0.8) && _quota.Take("abuse-front"))
        {
            PlantFrontRunning();
        }
        else if (rank % 5 == 3 && rank < 60 && _random.Chance(0.7) && _quota.Take("front-maker"))
        {
            MakerBeforeClientBlock();
        }
        else if (rank % 5 == 4 && _random.Chance(0.6))
        {
            DeskAheadNotOfABlock(opposite: _random.Chance(0.5));
        }
    }

    void PlantFrontRunning()
    {
        Account client = _random.Pick(_cast.Institutions);
        Account desk = _cast.BrokerDesks.First(d => d.Firm == client.Firm);
        Side side = _random.Chance(0.5) ? Side.Buy : Side.Sell;
        int shape = _random.Next(3); // 0: trading ahead at one moment; 1: several small trades over minutes; 2: ahead, then unwound after the block
        if (_random.Chance(0.5))
        {
            DeskBackground(desk);
        }

        long block = _open + Seconds(_random.Between(3600.0, 20000.0));
        double lead = _random.Between(60.0, 240.0);
        int pieces = shape == 1 ? _random.Between(3, 6) : 1;
        string[] shapes = ["principal trades at one moment, as the book allows", $"{pieces} small principal trades", "principal trades, unwound after the block"];
        Collector label = Collect(new Collector("front-running", null, [desk.Id, client.Id], $"Front-running: {desk.Id} ({desk.Firm}'s own desk) traded {side} ahead of {client.Id}'s block ({shapes[shape]}, {lead:F0} s ahead).")
        {
            Abuse = true,
            Only = [desk.Id, client.Id],
            From = block - Seconds(lead) - 1,
            Until = block + (shape == 2 ? Seconds(400) : Seconds(1)),
        });
        long blockSize = BlockSize();
        long ahead = Math.Max(Lot * _random.Between(6, 12), (long)(blockSize * _random.Between(0.1, 0.3)) / Lot * Lot);
        long piece = Math.Max(Lot, ((ahead / pieces) + Lot - 1) / Lot * Lot); // rounded up: the pieces add up to at least the total
        long[] filled = [0];
        for (int k = 0; k < pieces; k++)
        {
            long at = block - Seconds(lead * (pieces - k) / pieces);
            Schedule(at, t => Accumulate(t, desk, side, piece, at + Seconds(lead / pieces) - Seconds(2), filled));
        }

        Schedule(block, t =>
        {
            if (filled[0] * 2 < piece * pieces)
            {
                // The book would not give the desk even half of what it meant to take ahead: no case, and no block after it.
                _collectors.Remove(label);
                return;
            }

            ClientBlock(t, client, side, blockSize);
        });
        if (shape == 2)
        {
            for (int k = 0; k < 2; k++)
            {
                Schedule(block + Seconds(_random.Between(40.0, 250.0)), t => Accumulate(t, desk, Opposite(side), Math.Max(Lot, piece * pieces / 2 / Lot * Lot), t + Seconds(60), [0]));
            }
        }

        Schedule(block + Seconds(401), t => label.Stop(t));
    }

    /// <summary>Hard negative: the market maker's firm also has clients; its quoting desk bought just before one client's block.</summary>
    void MakerBeforeClientBlock()
    {
        Account maker = _makers[0];
        var client = new Account($"C{_symbol.Rank:D3}{maker.Firm}", $"OC{_symbol.Rank:D3}{maker.Firm}", maker.Firm, $"{maker.Firm}-SALES", Capacity.Client);
        long from = _open + Seconds(_random.Between(3600.0, 18000.0));
        Collector label = Collect(new Collector("front-running", null, [maker.Id, client.Id], $"Hard negative: market maker {maker.Id} quoting both sides all day happened to trade before a block of {client.Id}, a client of the same firm.")
        {
            Only = [maker.Id, client.Id],
            From = from,
        });
        int tries = 0;
        void Try(long t)
        {
            // Wait for a moment just after the maker's own buy fill, as its ordinary quoting brings it.
            bool bought = false;
            for (int i = _events.Count - 1; i >= 0 && _events[i].Timestamp >= t - Seconds(120); i--)
            {
                if (_events[i].Type == EventType.Trade && _events[i].Account == maker.Id && _events[i].Side == Side.Buy)
                {
                    bought = true;
                    break;
                }
            }

            if (!bought && ++tries < 200)
            {
                Schedule(t + Seconds(15), Try);
                return;
            }

            ClientBlock(t, client, Side.Buy, BlockSize());
            label.Stop(t + 1);
        }

        Schedule(from + Seconds(300), Try);
    }

    /// <summary>Hard negatives: a broker desk trading ahead of its client, but the other way, or ahead of a small client order.</summary>
    void DeskAheadNotOfABlock(bool opposite)
    {
        if (!_quota.Take(opposite ? "front-opposite" : "front-small"))
        {
            return;
        }

        Account client = _random.Pick(_cast.Institutions);
        Account desk = _cast.BrokerDesks.First(d => d.Firm == client.Firm);
        Side side = _random.Chance(0.5) ? Side.Buy : Side.Sell;
        long block = _open + Seconds(_random.Between(3600.0, 20000.0));
        double lead = _random.Between(30.0, 200.0);
        Collect(new Collector("front-running", null, [desk.Id, client.Id], opposite
            ? $"Hard negative: {desk.Id} traded {Opposite(side)} for its own account before {client.Id}'s {side} block (the other way)."
            : $"Hard negative: {desk.Id} traded {side} for its own account before a small {side} order of its client {client.Id}.")
        {
            Only = [desk.Id, client.Id],
            From = block - Seconds(lead) - 1,
            Until = block + Seconds(1),
        });
        long ahead = Lot * _random.Between(6, 12);
        Schedule(block - Seconds(lead), t => Accumulate(t, desk, opposite ? Opposite(side) : side, ahead, block - Seconds(2), [0]));
        Schedule(block, t =>
        {
            if (opposite)
            {
                ClientBlock(t, client, side, BlockSize());
            }
            else
            {
                Aggressive(t, client, side, Lot * _random.Between(1, 3));
            }
        });
    }

    /// <summary>Sweeps every few seconds until <paramref name="quantity"/> is filled or <paramref name="until"/> comes: what a thin book allows.</summary>
    void Accumulate(long time, Account account, Side side, long quantity, long until, long[] total)
    {
        long best = side == Side.Buy ? BestPrice(_asks, Tick(_fair) + HalfSpread) : BestPrice(_bids, Tick(_fair) - HalfSpread);
        long filled = Submit(time, account, side, side == Side.Buy ? best + (5 * HalfSpread) : Math.Max(1, best - (5 * HalfSpread)), quantity, rest: false).Filled;
        total[0] += filled;
        long next = time + Seconds(_random.Between(1.0, 4.0));
        if (filled < quantity && next < until)
        {
            Schedule(next, t => Accumulate(t, account, side, quantity - filled, until, total));
        }
    }

    /// <summary>A desk's ordinary principal trading in the symbol: a lot or two either way now and then all day.</summary>
    void DeskBackground(Account desk)
    {
        for (long t = _open + Seconds(_random.Between(60.0, 1800.0)); t < _close - Seconds(600); t += Seconds(_random.Between(600.0, 2400.0)))
        {
            Side side = _random.Chance(0.5) ? Side.Buy : Side.Sell;
            long quantity = Lot * _random.Between(1, 2);
            Schedule(t, s => Aggressive(s, desk, side, quantity));
        }
    }

    /// <summary>A block: 40–100 lots and 2–5 % of the symbol's volume over the last hour, whichever is more.</summary>
    long BlockSize()
    {
        long hour = 0;
        long since = (_events.Count > 0 ? _events[^1].Timestamp : _open) - TimeSpan.TicksPerHour;
        for (int i = _events.Count - 1; i >= 0 && _events[i].Timestamp >= since; i--)
        {
            if (_events[i].Type == EventType.Trade && _events[i].Side == Side.Buy)
            {
                hour += (long)_events[i].Quantity;
            }
        }

        return Math.Max(Lot * _random.Between(40, 100), (long)(hour * _random.Between(0.02, 0.05)) / Lot * Lot);
    }

    /// <summary>A client block reaching the market: a limit a few half-spreads through the best price, what is left resting, cancelled minutes later; the price moves its way.</summary>
    void ClientBlock(long time, Account client, Side side, long quantity)
    {
        long best = side == Side.Buy ? BestPrice(_asks, Tick(_fair) + HalfSpread) : BestPrice(_bids, Tick(_fair) - HalfSpread);
        long limit = side == Side.Buy ? best + (2 * HalfSpread) : Math.Max(1, best - (2 * HalfSpread));
        Order order = Submit(time, client, side, limit, quantity, rest: true);
        _fair *= side == Side.Buy ? 1 + _random.Between(0.002, 0.006) : 1 - _random.Between(0.002, 0.006);
        Schedule(time + Seconds(_random.Between(300.0, 1200.0)), t => Cancel(order, t));
    }
}

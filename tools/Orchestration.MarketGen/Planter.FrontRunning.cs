using Orchestration.Workflows.FraudScan;
using Orchestration.Workflows.FraudScan.Rules;

namespace Orchestration.MarketGen;

sealed partial class Planter
{
    /// <summary>
    /// Case: a firm's own account buys (or sells) 1,000–3,000 once or twice, then 10–40 s later a client of the same firm
    /// sends an order of 8,000–20,000 the same way. Decoys: the own-account trade 90–150 s before; another firm's own
    /// account; a client order of 3,000; the own-account trade the other way; a client (agency) trade ahead instead.
    /// </summary>
    void FrontRunning(int index, bool decoy)
    {
        (Instrument instrument, int from) = Reserve(3, 5, 370);
        int kind = decoy ? index % 5 : -1;
        string firm = _random.Pick(_universe.Firms);
        string otherFirm = _universe.Firms.First(f => f != firm);
        Account ahead = kind switch
        {
            1 => _universe.NewPlantedAccount(otherFirm, Capacity.Principal),
            4 => _universe.NewPlantedAccount(firm),
            _ => _universe.NewPlantedAccount(firm, Capacity.Principal),
        };
        Account client = _universe.NewPlantedAccount(firm);
        Side side = _random.Chance(0.5) ? Side.Buy : Side.Sell;
        Side aheadSide = kind == 3 ? NormalFlow.Opposite(side) : side;
        _makers.Add(() =>
        {
            long time = At(from + _random.NextDouble());
            var evidence = new List<MarketEvent>();
            int trades = _random.Between(1, 2);
            for (int i = 0; i < trades; i++)
            {
                evidence.Add(Trade(time, ahead, instrument, aheadSide, Lots(_random.Between(1000.0, 3000.0))).AggressorTrade);
                time += NormalFlow.Seconds(_random.Between(2.0, 8.0));
            }

            long orderTime = evidence[^1].Timestamp + NormalFlow.Seconds(kind == 0 ? _random.Between(90.0, 150.0) : _random.Between(10.0, 40.0));
            long quantity = kind == 2 ? 3000 : Lots(_random.Between(8000.0, 20000.0));
            double mid = _universe.Mid(instrument, orderTime);
            double price = side == Side.Buy ? mid - Instrument.HalfSpread(mid) : mid + Instrument.HalfSpread(mid);
            evidence.Add(Add(_factory.Make(orderTime, EventType.New, _factory.NewOrderId(), client, instrument, side, price, quantity, _factory.PickVenue())));
            string note = kind switch
            {
                0 => $"Decoy: {ahead.Id} of {firm} traded {side} 90–150 s before the client order (outside the window).",
                1 => $"Decoy: the own-account trade ahead was by {otherFirm}, not {firm}.",
                2 => $"Decoy: the client order of {quantity} is below the large-order size.",
                3 => $"Decoy: {ahead.Id} of {firm} traded {aheadSide}, the other way from the client order.",
                4 => $"Decoy: the trade ahead was a client (agency) trade of {firm}.",
                _ => $"{ahead.Id} of {firm} traded {side} for the firm {trades} time(s) just before a client {side} order of {quantity}.",
            };
            Label(FrontRunningRule.RuleName, instrument, decoy, note, evidence);
        });
    }
}

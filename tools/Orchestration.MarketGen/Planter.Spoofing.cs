using Orchestration.Workflows.FraudScan;
using Orchestration.Workflows.FraudScan.Rules;

namespace Orchestration.MarketGen;

sealed partial class Planter
{
    /// <summary>
    /// Case: 4–6 large orders (1,000–3,000) on one side within about 3 s, a trade on the other side, every order cancelled
    /// 3–9 s after it was placed. Decoys: cancels after 15–25 s; no opposite trade; only two small orders; only two of five
    /// orders cancelled.
    /// </summary>
    void Spoofing(int index, bool decoy)
    {
        (Instrument instrument, int from) = Reserve(2, 5, 370);
        int kind = decoy ? index % 4 : -1;
        Account account = _universe.NewPlantedAccount(_random.Pick(_universe.Firms));
        Side spoofSide = _random.Chance(0.5) ? Side.Buy : Side.Sell;
        long time = At(from + _random.NextDouble());
        int orders = kind == 2 ? 2 : _random.Between(4, 6);
        _makers.Add(() =>
        {
            var evidence = new List<MarketEvent>();
            var placed = new List<MarketEvent>();
            string venue = _factory.PickVenue();
            for (int i = 0; i < orders; i++)
            {
                double mid = _universe.Mid(instrument, time);
                double away = Instrument.HalfSpread(mid) + (0.01 * _random.Between(1, 3));
                long quantity = kind == 2 ? 200 : Lots(_random.Between(1000.0, 3000.0));
                placed.Add(Add(_factory.Make(time, EventType.New, _factory.NewOrderId(), account, instrument, spoofSide, spoofSide == Side.Buy ? mid - away : mid + away, quantity, venue)));
                time += NormalFlow.Seconds(_random.Between(0.2, 0.6));
            }

            evidence.AddRange(placed);
            long tradeTime = time + NormalFlow.Seconds(_random.Between(0.5, 2.0));
            if (kind != 1)
            {
                evidence.Add(Trade(tradeTime, account, instrument, NormalFlow.Opposite(spoofSide), Lots(_random.Between(200.0, 800.0))).AggressorTrade);
            }

            int cancelled = kind == 3 ? 2 : orders;
            for (int i = 0; i < cancelled; i++)
            {
                MarketEvent order = placed[i];
                // After the opposite trade, and within 9.5 s of placing (the decoy: 15–25 s).
                long at = kind == 0
                    ? order.Timestamp + NormalFlow.Seconds(_random.Between(15.0, 25.0))
                    : Math.Min(order.Timestamp + NormalFlow.Seconds(9.5), Math.Max(order.Timestamp + NormalFlow.Seconds(_random.Between(3.0, 9.0)), tradeTime + NormalFlow.Seconds(0.5)));
                evidence.Add(Add(_factory.Make(at, EventType.Cancel, order.OrderId, account, instrument, spoofSide, 0, 0, venue)));
            }

            string note = kind switch
            {
                0 => $"Decoy: {account.Id} cancelled its {orders} {spoofSide} orders 15–25 s after placing them (too slow).",
                1 => $"Decoy: {account.Id} placed and quickly cancelled {orders} {spoofSide} orders but did not trade the other side.",
                2 => $"Decoy: {account.Id} placed and quickly cancelled only 2 small {spoofSide} orders.",
                3 => $"Decoy: {account.Id} quickly cancelled only 2 of its {orders} {spoofSide} orders.",
                _ => $"{account.Id} layered {orders} large {spoofSide} orders, traded the other side and cancelled them within seconds.",
            };
            Label(SpoofingRule.RuleName, instrument, decoy, note, evidence);
        });
    }
}

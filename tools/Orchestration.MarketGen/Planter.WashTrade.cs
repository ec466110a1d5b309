using Orchestration.Workflows.FraudScan;
using Orchestration.Workflows.FraudScan.Rules;

namespace Orchestration.MarketGen;

sealed partial class Planter
{
    /// <summary>
    /// Cases alternate: two accounts of one owner crossing 2–4 times within a minute or two, or one account buying and
    /// selling the same quantity at the same price 10–40 s apart. Decoys: the owner's two accounts buy and sell 3–5 minutes
    /// apart; a round trip 0.5 % apart in price; a round trip 30 % apart in quantity.
    /// </summary>
    void WashTrade(int index, bool decoy)
    {
        (Instrument instrument, int from) = Reserve(3, 5, 370);
        long start = At(from + _random.NextDouble());
        string firm = _random.Pick(_universe.Firms);
        Account first = _universe.NewPlantedAccount(firm);
        long quantity = Lots(_random.Between(500.0, 2000.0));
        _makers.Add(() =>
        {
            if (!decoy && index % 2 == 0)
            {
                Account second = _universe.NewPlantedAccount(_random.Pick(_universe.Firms), owner: first.Owner);
                int crosses = _random.Between(2, 4);
                var trades = new List<MarketEvent>();
                long time = start;
                for (int i = 0; i < crosses; i++)
                {
                    (Account buyer, Account seller) = i % 2 == 0 ? (second, first) : (first, second);
                    double price = _universe.Mid(instrument, time);
                    Fill fill = _factory.Trade(time, time - NormalFlow.Seconds(_random.Between(1.0, 5.0)), buyer, seller, instrument, Side.Buy, price, quantity, quantity);
                    _events.AddRange(fill.All);
                    trades.AddRange(fill.Trades);
                    time += NormalFlow.Seconds(_random.Between(10.0, 25.0));
                }

                Label(WashTradeRule.RuleName, instrument, decoy, $"Accounts {first.Id} and {second.Id} of owner {first.Owner} crossed {crosses} times.", trades);
                return;
            }

            int kind = decoy ? index % 3 : -1;
            Account seller2 = kind == 0 ? _universe.NewPlantedAccount(_random.Pick(_universe.Firms), owner: first.Owner) : first;
            Fill buy = Trade(start, first, instrument, Side.Buy, quantity);
            double buyPrice = buy.AggressorTrade.Price;
            long later = start + NormalFlow.Seconds(kind == 0 ? _random.Between(180.0, 300.0) : _random.Between(10.0, 40.0));
            double sellPrice = kind == 1 ? Instrument.Round(buyPrice * 0.995) : buyPrice;
            long sellQuantity = kind == 2 ? Lots(quantity * 1.3) : quantity;
            Fill sell = Trade(later, seller2, instrument, Side.Sell, sellQuantity, sellPrice);
            string note = kind switch
            {
                0 => $"Decoy: accounts {first.Id} and {seller2.Id} of owner {first.Owner} bought and sold {quantity} at {buyPrice} minutes apart (outside the window).",
                1 => $"Decoy: {first.Id} bought {quantity} at {buyPrice} and sold at {sellPrice} (0.5 % apart, above the price tolerance).",
                2 => $"Decoy: {first.Id} bought {quantity} and sold {sellQuantity} at {buyPrice} (30 % apart, above the quantity tolerance).",
                _ => $"{first.Id} (owner {first.Owner}) bought and sold {quantity} at {buyPrice} within seconds.",
            };
            Label(WashTradeRule.RuleName, instrument, decoy, note, [buy.AggressorTrade, sell.AggressorTrade]);
        });
    }
}

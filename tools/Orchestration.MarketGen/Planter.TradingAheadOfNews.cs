using Orchestration.Workflows.FraudScan;
using Orchestration.Workflows.FraudScan.Rules;

namespace Orchestration.MarketGen;

sealed partial class Planter
{
    /// <summary>
    /// Case: an account with no other business in the instrument builds 15,000–25,000 one way in 12–18 trades between 25 and
    /// 2 minutes before material news (0.8–0.95) that then moves the price 2–4 % its way. Decoys: only 6,000 built; the
    /// position built 75–45 minutes before; the news not material (0.2–0.4).
    /// </summary>
    void TradingAheadOfNews(int index, bool decoy)
    {
        (Instrument instrument, int from) = Reserve(80, 5, 300);
        int kind = decoy ? index % 3 : -1;
        int newsMinute = from + 78;
        Account account = _universe.NewPlantedAccount(_random.Pick(_universe.Firms));
        Side side = _random.Chance(0.5) ? Side.Buy : Side.Sell;
        double position = kind == 0 ? 6000 : _random.Between(15000.0, 25000.0);
        (double first, double last) = kind == 1 ? (newsMinute - 75.0, newsMinute - 45.0) : (newsMinute - 25.0, newsMinute - 2.0);
        double materiality = kind == 2 ? _random.Between(0.2, 0.4) : _random.Between(0.8, 0.95);
        string headline = kind == 2 ? _random.Pick(RoutineHeadlines) : MaterialHeadlines[_random.Next(3) + (side == Side.Buy ? 0 : 3)];
        AddNews(instrument, At(newsMinute), headline, materiality);
        Universe.Shift(instrument, newsMinute, side == Side.Buy ? 1 + _random.Between(0.02, 0.04) : 1 - _random.Between(0.02, 0.04), 3);
        _makers.Add(() =>
        {
            int trades = _random.Between(12, 18);
            var evidence = new List<MarketEvent>();
            for (int i = 0; i < trades; i++)
            {
                double minute = first + ((i + _random.NextDouble()) * (last - first) / trades);
                evidence.Add(Trade(At(minute), account, instrument, side, Lots(position / trades)).AggressorTrade);
            }

            string note = kind switch
            {
                0 => $"Decoy: {account.Id} built only {position:N0} {side} before material news.",
                1 => $"Decoy: {account.Id} built {position:N0} {side} 75–45 minutes before the news (outside the lookback).",
                2 => $"Decoy: {account.Id} built {position:N0} {side} before news of materiality {materiality:0.##} (not material).",
                _ => $"{account.Id} built {position:N0} {side} in the 25 minutes before \"{headline}\" (materiality {materiality:0.##}).",
            };
            Label(TradingAheadOfNewsRule.RuleName, instrument, decoy, note, evidence);
        });
    }
}

using Orchestration.Workflows.FraudScan;
using Orchestration.Workflows.FraudScan.Rules;

namespace Orchestration.MarketGen;

sealed partial class Planter
{
    /// <summary>
    /// Case: an account that trades 200–600 a dozen times through the day suddenly trades 40,000–60,000 in 25–40 trades
    /// within 6 minutes. Decoys: a burst of 9,000–12,000 (under the minimum); a burst of 25,000–30,000 from an account that
    /// usually trades about 4,000 a window, in one of the busiest instruments (under its multiple); a surge after material
    /// news spread over 30 accounts (not attributable to a few).
    /// </summary>
    void UnusualVolume(int index, bool decoy)
    {
        int kind = decoy ? index % 3 : -1;
        if (kind == 2)
        {
            SpreadSurge();
            return;
        }

        (Instrument instrument, int from) = Reserve(6, 45, 330, busiest: kind == 1 ? 5 : null);
        Account account = _universe.NewPlantedAccount(_random.Pick(_universe.Firms));
        Side side = Universe.Lean(account, instrument);
        _makers.Add(() =>
        {
            (double low, double high) baseline = kind == 1 ? (3500.0, 4500.0) : (200.0, 600.0);
            int usual = _random.Between(12, 16);
            for (int i = 0; i < usual; i++)
            {
                // Spread over the day, clear of the burst and of the closing period.
                double minute = 5 + ((i + _random.NextDouble()) * (ClosingPeriod - 10) / usual);
                if (Math.Abs(minute - from - 3) > 20)
                {
                    Trade(At(minute), account, instrument, side, Lots(_random.Between(baseline.low, baseline.high)));
                }
            }

            double total = kind switch
            {
                0 => _random.Between(9000.0, 12000.0),
                1 => _random.Between(25000.0, 30000.0),
                _ => _random.Between(40000.0, 60000.0),
            };
            int trades = _random.Between(25, 40);
            var evidence = new List<MarketEvent>();
            for (int i = 0; i < trades; i++)
            {
                evidence.Add(Trade(At(from + ((i + _random.NextDouble()) * 6.0 / trades)), account, instrument, side, Lots(total / trades)).AggressorTrade);
            }

            string note = kind switch
            {
                0 => $"Decoy: {account.Id} traded {total:N0} in 6 minutes, under the minimum quantity.",
                1 => $"Decoy: {account.Id} traded {total:N0} in 6 minutes but usually trades about 4,000 a window.",
                _ => $"{account.Id} traded {total:N0} in 6 minutes against a usual 200–600 a trade.",
            };
            Label(UnusualVolumeRule.RuleName, instrument, decoy, note, evidence);
        });
    }

    /// <summary>Material news, then 30 normal accounts each trading 1,500–2,500 within 5 minutes.</summary>
    void SpreadSurge()
    {
        (Instrument instrument, int from) = Reserve(8, 45, 330);
        bool good = _random.Chance(0.5);
        Side side = good ? Side.Buy : Side.Sell;
        AddNews(instrument, At(from), MaterialHeadlines[_random.Next(3) + (good ? 0 : 3)], _random.Between(0.7, 0.9));
        _makers.Add(() =>
        {
            var evidence = new List<MarketEvent>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (seen.Count < 30)
            {
                Account account = _random.Pick(_universe.ClientAccounts);
                if (Universe.Lean(account, instrument) == side && seen.Add(account.Owner))
                {
                    evidence.Add(Trade(At(from + 1 + _random.Between(0.0, 5.0)), account, instrument, side, Lots(_random.Between(1500.0, 2500.0))).AggressorTrade);
                }
            }

            Label(UnusualVolumeRule.RuleName, instrument, decoy: true, "Decoy: a volume surge after material news, spread over 30 accounts.", evidence);
        });
    }
}

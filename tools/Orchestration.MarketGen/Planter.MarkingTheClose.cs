using Orchestration.Workflows.FraudScan;
using Orchestration.Workflows.FraudScan.Rules;

namespace Orchestration.MarketGen;

sealed partial class Planter
{
    /// <summary>Minute of the session at which the closing period (the rule's default 10 minutes) starts.</summary>
    const int ClosingPeriod = Universe.SessionMinutes - 10;

    /// <summary>
    /// Case: in the last 9 minutes one account lifts the offer (or hits the bid) 8–14 times for about as much as everyone
    /// else trades then, while the price drifts 1.2–2 % its way. Decoys: the same share without the drift; the drift with the
    /// account trading a tenth of the volume. Only the busier half of the instruments, so the period has volume to take.
    /// </summary>
    void MarkingTheClose(int index, bool decoy)
    {
        (Instrument instrument, _) = Reserve(Universe.SessionMinutes - ClosingPeriod, ClosingPeriod, ClosingPeriod, busiest: _universe.Instruments.Count / 2);
        int kind = decoy ? index % 2 : -1;
        Account account = _universe.NewPlantedAccount(_random.Pick(_universe.Firms));
        Side side = _random.Chance(0.5) ? Side.Buy : Side.Sell;
        double drift = _random.Between(0.012, 0.02);
        if (kind != 0)
        {
            Universe.Shift(instrument, ClosingPeriod + 1, side == Side.Buy ? 1 + drift : 1 - drift, 8);
        }

        _makers.Add(() =>
        {
            double normalVolume = 0;
            for (int m = ClosingPeriod; m < Universe.SessionMinutes; m++)
            {
                normalVolume += _flow.ExpectedExecutions(instrument, m) * NormalFlow.MeanOrderSize;
            }

            int trades = _random.Between(8, 14);
            long quantity = Lots(normalVolume * (kind == 1 ? 0.1 : 1.0) / trades);
            var evidence = new List<MarketEvent>();
            for (int i = 0; i < trades; i++)
            {
                double minute = ClosingPeriod + 1 + ((i + _random.NextDouble()) * 8.5 / trades);
                evidence.Add(Trade(At(minute), account, instrument, side, quantity).AggressorTrade);
            }

            string note = kind switch
            {
                0 => $"Decoy: {account.Id} traded {side} aggressively into the close but the price did not move.",
                1 => $"Decoy: the price drifted {drift:P1} into the close but {account.Id}'s {side}s were a small share of the volume.",
                _ => $"{account.Id} traded {side} aggressively {trades} times in the last minutes, moving the close {drift:P1}.",
            };
            Label(MarkingTheCloseRule.RuleName, instrument, decoy, note, evidence);
        });
    }
}

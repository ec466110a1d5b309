using Orchestration.Workflows.FraudScan;

namespace Orchestration.MarketGen;

/// <summary>
/// The ordinary trading around the planted cases, a minute at a time: each order's whole life (resting, modified, cancelled,
/// or taken by an aggressive order of an account leaning the other way) is made when it starts, its later events wait in
/// the caller's queue. Volume follows a U shape over the session; accounts mostly trade their lean.
/// </summary>
sealed class NormalFlow(Universe universe, EventFactory factory, Prng random, double ordersPerDay)
{
    const double TradedShare = 0.40;
    const double CancelledShare = 0.35;
    const double PrincipalShare = 0.12;
    const double AgainstLeanShare = 0.01;

    /// <summary>Events one order brings on average: a trade is four (two NEWs, two fills) plus, half the time, the rest of the passive order cancelled.</summary>
    public const double EventsPerOrder = (TradedShare * 4.25) + (CancelledShare * 2.2) + (1 - TradedShare - CancelledShare);

    readonly double _totalWeight = universe.Instruments.Sum(i => i.Weight);

    /// <summary>Relative activity of minute <paramref name="minute"/>: twice as busy at the open and the close as at midday.</summary>
    public static double Shape(int minute)
    {
        double x = ((minute + 0.5) / Universe.SessionMinutes * 2) - 1;
        return (1 + (x * x)) / (4.0 / 3);
    }

    /// <summary>Executions expected for <paramref name="instrument"/> in minute <paramref name="minute"/>.</summary>
    public double ExpectedExecutions(Instrument instrument, int minute) => OrdersIn(instrument, minute) * TradedShare;

    /// <summary>The mean of <see cref="Size"/>.</summary>
    public const double MeanOrderSize = 340;

    /// <summary>Typical order size in round lots of 100: median 300, at most 5,000.</summary>
    public static long Size(Prng random) => 100 * Math.Clamp((long)Math.Round(3 * Math.Exp(0.5 * random.Gaussian())), 1, 50);

    public void Minute(int minute, Action<MarketEvent> emit)
    {
        long start = universe.SessionStart + (minute * TimeSpan.TicksPerMinute);
        foreach (Instrument instrument in universe.Instruments)
        {
            int orders = (int)(OrdersIn(instrument, minute) + random.NextDouble());
            for (int n = 0; n < orders; n++)
            {
                Order(instrument, start + (long)(random.NextDouble() * TimeSpan.TicksPerMinute), emit);
            }
        }
    }

    double OrdersIn(Instrument instrument, int minute) => ordersPerDay * instrument.Weight / _totalWeight * Shape(minute) / Universe.SessionMinutes;

    void Order(Instrument instrument, long time, Action<MarketEvent> emit)
    {
        Account account = random.Chance(PrincipalShare) ? random.Pick(universe.HouseAccounts) : random.Pick(universe.ClientAccounts);
        Side side = Universe.Lean(account, instrument);
        if (random.Chance(AgainstLeanShare))
        {
            side = Opposite(side);
        }

        long quantity = Size(random);
        double mid = universe.Mid(instrument, time);
        double half = Instrument.HalfSpread(mid);
        double outcome = random.NextDouble();
        if (outcome < TradedShare)
        {
            Traded(instrument, time, account, side, quantity, mid, half, emit);
            return;
        }

        string orderId = factory.NewOrderId();
        string venue = factory.PickVenue();
        double away = half + (0.01 * random.Next(5));
        double price = side == Side.Buy ? mid - away : mid + away;
        emit(factory.Make(time, EventType.New, orderId, account, instrument, side, price, quantity, venue));
        if (outcome < TradedShare + CancelledShare)
        {
            long at = time;
            if (random.Chance(0.2))
            {
                at += Seconds(random.Exponential(30));
                emit(factory.Make(at, EventType.Modify, orderId, account, instrument, side, price + (side == Side.Buy ? -0.01 : 0.01), quantity, venue));
            }

            emit(factory.Make(at + Seconds(Math.Max(0.2, random.Exponential(90))), EventType.Cancel, orderId, account, instrument, side, 0, 0, venue));
        }
    }

    void Traded(Instrument instrument, long time, Account aggressor, Side side, long quantity, double mid, double half, Action<MarketEvent> emit)
    {
        if (Counterparty(instrument, Opposite(side), aggressor.Owner) is not { } passive)
        {
            return;
        }

        long passiveQuantity = quantity + (random.Chance(0.5) ? Size(random) : 0);
        long restingSince = Math.Max(universe.SessionStart, time - Seconds(Math.Min(59, random.Exponential(20))));
        Fill fill = factory.Trade(time, restingSince, aggressor, passive, instrument, side, side == Side.Buy ? mid + half : mid - half, quantity, passiveQuantity);
        foreach (MarketEvent e in fill.All)
        {
            emit(e);
        }

        if (passiveQuantity > quantity && random.Chance(0.5))
        {
            MarketEvent resting = fill.RestingNew;
            emit(factory.Make(time + Seconds(random.Exponential(120)), EventType.Cancel, resting.OrderId, passive, instrument, resting.Side, 0, passiveQuantity - quantity, resting.Venue));
        }
    }

    /// <summary>A client account leaning to <paramref name="side"/> in the instrument, of another owner; null if none turns up.</summary>
    public Account? Counterparty(Instrument instrument, Side side, string notOwner)
    {
        for (int tries = 0; tries < 20; tries++)
        {
            Account candidate = random.Pick(universe.ClientAccounts);
            if (candidate.Owner != notOwner && Universe.Lean(candidate, instrument) == side)
            {
                return candidate;
            }
        }

        return null;
    }

    public static Side Opposite(Side side) => side == Side.Buy ? Side.Sell : Side.Buy;

    public static long Seconds(double seconds) => (long)(seconds * TimeSpan.TicksPerSecond);
}

namespace Orchestration.MarketGen;

/// <summary>The intraday profile of ordinary trading: a U shape over the session.</summary>
public static class NormalFlow
{
    /// <summary>Relative activity of minute <paramref name="minute"/>: twice as busy at the open and the close as at midday.</summary>
    public static double Shape(int minute)
    {
        double x = ((minute + 0.5) / Universe.SessionMinutes * 2) - 1;
        return (1 + (x * x)) / (4.0 / 3);
    }
}

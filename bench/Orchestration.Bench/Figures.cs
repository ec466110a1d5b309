namespace Orchestration.Bench;

/// <summary>How the reports write their figures, the same in every table.</summary>
internal static class Figures
{
    /// <summary>A target is measured and reported, never asserted: a miss does not fail the run.</summary>
    public static string Verdict(bool met) => met ? "PASS" : "MISS";

    /// <summary>CPU time as a share of one core over <paramref name="wall"/> (200% is two cores busy).</summary>
    public static string Share(TimeSpan cpu, TimeSpan wall) => $"{cpu / wall * 100:0}%";

    public static string Ms(TimeSpan t) => $"{t.TotalMilliseconds:0}";

    public static string Seconds(TimeSpan t) => $"{t.TotalSeconds:0.00} s";

    public static string Mb(long bytes) => $"{bytes / (1024.0 * 1024):0}";
}

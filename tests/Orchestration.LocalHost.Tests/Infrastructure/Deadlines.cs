using System.Globalization;

namespace Orchestration.LocalHost.Tests.Infrastructure;

/// <summary>
/// How long a test waits for a condition before it fails. A deadline here is never a speed target: a passing test stops
/// waiting the moment its condition holds, so the deadline only bounds how long a broken test takes to say so. Each one is
/// therefore set for a box loaded far past its two cores (load 10–18, another test run beside this one), not for a quiet
/// one. <c>ORCHESTRATION_TEST_PATIENCE</c> (a positive number, default 1) multiplies them all for a slower machine.
/// </summary>
public static class Deadlines
{
    // Declared first: static initializers run in text order, and the deadlines below read it.
    /// <summary>The multiplier from <c>ORCHESTRATION_TEST_PATIENCE</c>; 1 when unset or not a positive number.</summary>
    public static double Factor { get; } =
        double.TryParse(Environment.GetEnvironmentVariable("ORCHESTRATION_TEST_PATIENCE"), NumberStyles.Float, CultureInfo.InvariantCulture, out double factor)
        && factor > 0 && double.IsFinite(factor)
            ? factor
            : 1;

    /// <summary>One small orchestration, a host or Azurite start, a few trigger rounds or retries.</summary>
    public static TimeSpan Short { get; } = Scaled(TimeSpan.FromMinutes(3));

    /// <summary>Hundreds of activities or images on Azurite, or recovery that waits out a lease or a visibility timeout.</summary>
    public static TimeSpan Long { get; } = Scaled(TimeSpan.FromMinutes(8));

    /// <summary><paramref name="quiet"/> times <see cref="Factor"/>.</summary>
    public static TimeSpan Scaled(TimeSpan quiet) => quiet * Factor;
}

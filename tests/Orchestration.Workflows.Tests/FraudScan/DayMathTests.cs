using Orchestration.Workflows.FraudScan.Rules;

namespace Orchestration.Workflows.Tests.FraudScan;

/// <summary>The one median the rules' baselines use (selection, not a sort) gives what sorting gives.</summary>
[TestClass]
public sealed class DayMathTests
{
    [TestMethod]
    [DataRow(0)]
    [DataRow(1)]
    [DataRow(2)]
    [DataRow(7)]
    [DataRow(100)]
    [DataRow(1001)]
    public void Median_RandomValuesWithRepeats_SameAsTheSortedMiddle(int count)
    {
        var random = new Random(count);
        long[] longs = [.. Enumerable.Range(0, count).Select(_ => (long)random.Next(0, 20) * 100)];
        double[] doubles = [.. Enumerable.Range(0, count).Select(_ => Math.Round(random.NextDouble(), 2))];

        Assert.AreEqual(SortedMedian(longs.Select(v => (double)v)), DayMath.Median(longs.AsSpan()), 1e-12);
        Assert.AreEqual(SortedMedian(doubles), DayMath.Median(doubles.AsSpan()), 1e-12);
    }

    [TestMethod]
    public void Median_EvenCount_MeanOfTheTwoMiddles()
    {
        long[] values = [400, 100, 300, 200];

        Assert.AreEqual(250, DayMath.Median(values.AsSpan()));
    }

    static double SortedMedian(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

using Orchestration.Workflows.Samples;

namespace Orchestration.Workflows.Tests.Inputs;

[TestClass]
public sealed class FanOutInputTests
{
    [TestMethod]
    public void Constructor_Defaults_TenItemsBatchesOf500()
    {
        var input = new FanOutInput();

        Assert.AreEqual(10, input.Count);
        Assert.AreEqual(500, input.BatchSize);
        Assert.IsEmpty(input.Validate());
    }

    [TestMethod]
    [DataRow(1, 1)]
    [DataRow(100_000, 5_000)]
    [DataRow(100_000, 100)]
    [DataRow(1_000, 1)]
    public void Validate_Boundaries_IsValid(int count, int batchSize)
    {
        Assert.IsEmpty(new FanOutInput(count, batchSize).Validate());
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(-1)]
    [DataRow(100_001)]
    public void Validate_CountOutOfRange_NamesCount(int count)
    {
        string error = new FanOutInput(count, 10).Validate().Single();

        Assert.StartsWith("count:", error);
        Assert.Contains(count.ToString(System.Globalization.CultureInfo.InvariantCulture), error);
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(5_001)]
    public void Validate_BatchSizeOutOfRange_NamesBatchSize(int batchSize)
    {
        string error = new FanOutInput(10, batchSize).Validate().Single();

        Assert.StartsWith("batchSize:", error);
    }

    [TestMethod]
    [DataRow(100_000, 1, "100")]
    [DataRow(1_001, 1, "2")]
    public void Validate_MoreThanMaxBatches_NamesBatchSizeAndTheSmallestThatFits(int count, int batchSize, string smallest)
    {
        string error = new FanOutInput(count, batchSize).Validate().Single();

        Assert.StartsWith("batchSize:", error);
        Assert.Contains($"at least {smallest}", error);
    }

    [TestMethod]
    public void Validate_BothOutOfRange_TwoErrors()
    {
        List<string> errors = new FanOutInput(0, 0).Validate().ToList();

        Assert.HasCount(2, errors);
        Assert.StartsWith("count:", errors[0]);
        Assert.StartsWith("batchSize:", errors[1]);
    }
}

using Orchestration.Workflows.Samples;

namespace Orchestration.Workflows.Tests.Inputs;

[TestClass]
public sealed class CountdownInputTests
{
    [TestMethod]
    [DataRow(0, 0, 0)]
    [DataRow(10_000, 86_400, 5)]
    public void Validate_Boundaries_IsValid(int remaining, int interval, int ticked)
    {
        Assert.IsEmpty(new CountdownInput(remaining, interval, ticked).Validate());
    }

    [TestMethod]
    [DataRow(-1)]
    [DataRow(10_001)]
    public void Validate_RemainingOutOfRange_NamesRemaining(int remaining)
    {
        string error = new CountdownInput(remaining).Validate().Single();

        Assert.StartsWith("remaining:", error);
    }

    [TestMethod]
    [DataRow(-1)]
    [DataRow(86_401)]
    public void Validate_IntervalOutOfRange_NamesIntervalSeconds(int interval)
    {
        string error = new CountdownInput(1, interval).Validate().Single();

        Assert.StartsWith("intervalSeconds:", error);
    }

    [TestMethod]
    public void Validate_NegativeTicked_NamesTicked()
    {
        string error = new CountdownInput(1, 1, -1).Validate().Single();

        Assert.StartsWith("ticked:", error);
    }

    [TestMethod]
    public void Validate_AllWrong_ThreeErrors()
    {
        Assert.HasCount(3, new CountdownInput(-1, -1, -1).Validate().ToList());
    }
}

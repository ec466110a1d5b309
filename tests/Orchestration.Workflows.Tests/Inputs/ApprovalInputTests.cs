using Orchestration.Workflows.Samples;

namespace Orchestration.Workflows.Tests.Inputs;

[TestClass]
public sealed class ApprovalInputTests
{
    [TestMethod]
    public void Constructor_NoTimeout_DefaultsToOneHour()
    {
        Assert.AreEqual(3600, new ApprovalInput("x").TimeoutSeconds);
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(604_800)]
    public void Validate_TimeoutAtBounds_IsValid(int timeout)
    {
        Assert.IsEmpty(new ApprovalInput("deploy", timeout).Validate());
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(-5)]
    [DataRow(604_801)]
    public void Validate_TimeoutOutOfRange_NamesTimeoutSeconds(int timeout)
    {
        string error = new ApprovalInput("deploy", timeout).Validate().Single();

        Assert.StartsWith("timeoutSeconds:", error);
        Assert.Contains("604800", error);
    }

    [TestMethod]
    public void Validate_500CharSubject_IsValid()
    {
        Assert.IsEmpty(new ApprovalInput(new string('s', 500)).Validate());
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("  ")]
    [DataRow(null)]
    public void Validate_BlankSubject_NamesSubject(string? subject)
    {
        string error = new ApprovalInput(subject!).Validate().Single();

        Assert.StartsWith("subject:", error);
    }

    [TestMethod]
    public void Validate_501CharSubject_NamesSubject()
    {
        string error = new ApprovalInput(new string('s', 501)).Validate().Single();

        Assert.StartsWith("subject:", error);
    }
}

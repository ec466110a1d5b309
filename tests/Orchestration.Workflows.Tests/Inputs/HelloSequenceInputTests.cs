using Orchestration.Workflows.Samples;

namespace Orchestration.Workflows.Tests.Inputs;

[TestClass]
public sealed class HelloSequenceInputTests
{
    [TestMethod]
    public void Validate_NullNames_IsValid()
    {
        Assert.IsEmpty(new HelloSequenceInput(null).Validate());
    }

    [TestMethod]
    public void Validate_HundredNamesOf200Chars_IsValid()
    {
        string[] names = Enumerable.Repeat(new string('x', 200), 100).ToArray();

        Assert.IsEmpty(new HelloSequenceInput(names).Validate());
    }

    [TestMethod]
    public void Validate_101Names_NamesTheCount()
    {
        string[] names = Enumerable.Repeat("a", 101).ToArray();

        string error = new HelloSequenceInput(names).Validate().Single();

        Assert.StartsWith("names:", error);
        Assert.Contains("101", error);
        Assert.Contains("100", error);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("   ")]
    [DataRow(null)]
    public void Validate_BlankName_NamesTheIndex(string? blank)
    {
        string error = new HelloSequenceInput(["ok", blank!]).Validate().Single();

        Assert.StartsWith("names[1]:", error);
    }

    [TestMethod]
    public void Validate_201CharName_NamesTheIndex()
    {
        string error = new HelloSequenceInput([new string('x', 201)]).Validate().Single();

        Assert.StartsWith("names[0]:", error);
        Assert.Contains("200", error);
    }

    [TestMethod]
    public void Validate_SeveralBadNames_OneErrorEach()
    {
        List<string> errors = new HelloSequenceInput(["", "fine", " "]).Validate().ToList();

        CollectionAssert.AreEqual(new[] { "names[0]", "names[2]" }, errors.Select(e => e[..e.IndexOf(':', StringComparison.Ordinal)]).ToArray());
    }
}

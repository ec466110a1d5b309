using Orchestration.Workflows.Storage;

namespace Orchestration.Workflows.Tests.Inputs;

[TestClass]
public sealed class BlobRefTests
{
    [TestMethod]
    [DataRow("abc")]
    [DataRow("samples-in")]
    [DataRow("a1-b2-c3")]
    [DataRow("123")]
    public void IsValidContainerName_AzureConformingName_True(string container)
    {
        Assert.IsTrue(BlobRef.IsValidContainerName(container));
    }

    [TestMethod]
    public void IsValidContainerName_63Chars_True()
    {
        Assert.IsTrue(BlobRef.IsValidContainerName(new string('a', 63)));
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("ab")]
    [DataRow("Samples")]
    [DataRow("-abc")]
    [DataRow("abc-")]
    [DataRow("ab--c")]
    [DataRow("ab_c")]
    [DataRow("ab.c")]
    [DataRow("ab c")]
    [DataRow("äbc")]
    [DataRow("abc/d")]
    public void IsValidContainerName_BreaksAzureRules_False(string? container)
    {
        Assert.IsFalse(BlobRef.IsValidContainerName(container));
    }

    [TestMethod]
    public void IsValidContainerName_64Chars_False()
    {
        Assert.IsFalse(BlobRef.IsValidContainerName(new string('a', 64)));
    }

    [TestMethod]
    public void Validate_GoodRef_IsValid()
    {
        Assert.IsEmpty(new BlobRef("samples-in", "dir/file name ü.csv", "\"0x1\"").Validate());
    }

    [TestMethod]
    public void Validate_1024CharName_IsValid()
    {
        Assert.IsEmpty(new BlobRef("samples-in", new string('n', 1024)).Validate());
    }

    [TestMethod]
    public void Validate_BadContainer_NamesContainer()
    {
        string error = new BlobRef("Bad_Container", "x").Validate().Single();

        Assert.StartsWith("container:", error);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("line\nbreak")]
    [DataRow("nul\0")]
    public void Validate_BadName_NamesName(string name)
    {
        string error = new BlobRef("samples-in", name).Validate().Single();

        Assert.StartsWith("name:", error);
    }

    [TestMethod]
    public void Validate_1025CharName_NamesName()
    {
        string error = new BlobRef("samples-in", new string('n', 1025)).Validate().Single();

        Assert.StartsWith("name:", error);
        Assert.Contains("1024", error);
    }

    [TestMethod]
    public void ToString_Ref_IsContainerSlashName()
    {
        Assert.AreEqual("samples-in/a/b.txt", new BlobRef("samples-in", "a/b.txt", "\"e\"").ToString());
    }

    [TestMethod]
    [DataRow("0x8DC0FFEE", "\"0x8DC0FFEE\"")]
    [DataRow("\"0x8DC0FFEE\"", "\"0x8DC0FFEE\"")]
    [DataRow("W/\"weak\"", "W/\"weak\"")]
    public void QuotedETag_BareFromAListingOrQuotedFromProperties_SameQuotedForm(string raw, string expected)
    {
        Assert.AreEqual(expected, BlobRef.QuotedETag(new Azure.ETag(raw)));
    }
}

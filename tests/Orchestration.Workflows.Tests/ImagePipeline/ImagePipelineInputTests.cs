using System.Text.Json;
using Orchestration.Workflows.Durable;
using Orchestration.Workflows.ImagePipeline;
using Orchestration.Workflows.Storage;

namespace Orchestration.Workflows.Tests.ImagePipeline;

[TestClass]
public sealed class ImagePipelineInputTests
{
    [TestMethod]
    public void Validate_Blob_Valid()
    {
        Assert.IsEmpty(new ImagePipelineInput("images-in", "a b/ünï.jpg", "\"0x1\"").Validate());
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("batch/")]
    public void Validate_Prefix_Valid(string prefix)
    {
        Assert.IsEmpty(new ImagePipelineInput("images-in", Prefix: prefix).Validate());
    }

    [TestMethod]
    public void Validate_NeitherNameNorPrefix_AsksForExactlyOne()
    {
        string error = new ImagePipelineInput("images-in").Validate().Single();

        StringAssert.StartsWith(error, "name, prefix:");
    }

    [TestMethod]
    public void Validate_BothNameAndPrefix_AsksForExactlyOne()
    {
        string error = new ImagePipelineInput("images-in", "a.jpg", Prefix: "b/").Validate().Single();

        StringAssert.StartsWith(error, "name, prefix:");
    }

    [TestMethod]
    [DataRow("Images")]
    [DataRow("ab")]
    [DataRow("images_in")]
    [DataRow("")]
    public void Validate_BadContainer_NamesTheField(string container)
    {
        StringAssert.StartsWith(new ImagePipelineInput(container, "a.jpg").Validate().Single(), "container:");
    }

    [TestMethod]
    public void Validate_NameTooLongOrWithControlCharacters_NamesTheField()
    {
        StringAssert.StartsWith(new ImagePipelineInput("images-in", new string('n', BlobRef.MaxNameLength + 1)).Validate().Single(), "name:");
        StringAssert.StartsWith(new ImagePipelineInput("images-in", "a\nb.jpg").Validate().Single(), "name:");
        StringAssert.StartsWith(new ImagePipelineInput("images-in", string.Empty).Validate().Single(), "name:");
    }

    [TestMethod]
    [DataRow("../../escape/dotdot.jpg")]
    [DataRow("uploads/../../etc/passwd.jpg")]
    [DataRow("/lead.jpg")]
    [DataRow("a\\b.jpg")]
    [DataRow("del\u007f.jpg")]
    [DataRow("nel\u0085.jpg")]
    public void Validate_NameARequestWouldResolveElsewhere_NamesTheField(string name)
    {
        StringAssert.StartsWith(new ImagePipelineInput("images-in", name).Validate().Single(), "name:");
    }

    [TestMethod]
    public void Validate_PrefixWithETag_NamesTheField()
    {
        StringAssert.StartsWith(new ImagePipelineInput("images-in", ETag: "\"0x1\"", Prefix: "a/").Validate().Single(), "etag:");
    }

    [TestMethod]
    public void Deserialize_BlobRefJson_IsTheSameBlob()
    {
        var blob = new BlobRef("images-in", "dir/photo.jpg", "\"0x8D1\"");

        ImagePipelineInput? input = JsonSerializer.Deserialize<ImagePipelineInput>(JsonSerializer.Serialize(blob, DurableJson.Options), DurableJson.Options);

        Assert.AreEqual(ImagePipelineInput.FromBlob(blob), input);
        Assert.IsFalse(input!.IsBatch);
        Assert.AreEqual(blob, input.ToBlobRef());
    }

    [TestMethod]
    public void Deserialize_PrefixJson_IsABatch()
    {
        ImagePipelineInput? input = JsonSerializer.Deserialize<ImagePipelineInput>("""{"container":"images-in","prefix":"2026/"}""", DurableJson.Options);

        Assert.IsTrue(input!.IsBatch);
        Assert.AreEqual("2026/", input.Prefix);
    }
}

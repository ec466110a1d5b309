using Orchestration.Workflows.ImagePipeline;
using Orchestration.Workflows.Storage;

namespace Orchestration.Workflows.Tests.ImagePipeline;

[TestClass]
public sealed class ImagePathsTests
{
    [TestMethod]
    [DataRow("photo.jpg", "photo")]
    [DataRow("trips/beach.photo.jpg", "trips/beach.photo")]
    [DataRow("no-extension", "no-extension")]
    [DataRow(".hidden", ".hidden")]
    [DataRow("a b/ünï cödé.png", "a b/ünï cödé")]
    [DataRow("../../etc/passwd.jpg", "etc/passwd")]
    [DataRow("a/./b/../c.jpg", "a/b/c")]
    [DataRow("a\\..\\b.jpg", "a/b")]
    [DataRow("//a//b.jpg", "a/b")]
    [DataRow("..", "_")]
    [DataRow("x./y.jpg", "x/y")]
    public void Stem_Name_WithoutExtensionAndDotSegments(string name, string stem)
    {
        Assert.AreEqual(stem, ImagePaths.Stem(name));
    }

    [TestMethod]
    public void Stem_LongestName_OutputNamesWithinAzureLimit()
    {
        string stem = ImagePaths.Stem(new string('n', BlobRef.MaxNameLength));

        StringAssert.StartsWith(stem, "~long/");
        Assert.IsLessThanOrEqualTo(BlobRef.MaxNameLength, ImagePaths.ManifestBlobName(stem).Length);
        Assert.IsLessThanOrEqualTo(BlobRef.MaxNameLength, ImagePaths.VariantName(stem, "thumbnail-retina", "webp").Length);
    }

    [TestMethod]
    public void ReasonName_ShortName_SuffixedAndLongNameHashed()
    {
        Assert.AreEqual("a/b.jpg.reason.json", ImagePaths.ReasonName("a/b.jpg"));
        string longName = ImagePaths.ReasonName(new string('n', BlobRef.MaxNameLength));
        StringAssert.StartsWith(longName, "~long/");
        StringAssert.EndsWith(longName, ".reason.json");
        Assert.IsLessThanOrEqualTo(BlobRef.MaxNameLength, longName.Length);
    }
}

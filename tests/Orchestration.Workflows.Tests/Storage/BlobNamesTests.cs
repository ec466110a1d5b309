using Azure.Storage.Blobs;
using Orchestration.Workflows.Storage;

namespace Orchestration.Workflows.Tests.Storage;

[TestClass]
public sealed class BlobNamesTests
{
    const string Connection = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;";

    [TestMethod]
    [DataRow("cat.jpg")]
    [DataRow("a/b/c.jpg")]
    [DataRow("..a/b..c.jpg")]
    [DataRow("%2e%2e/%2e%2e/x.jpg")]
    [DataRow("Ünïcødé 写真.png")]
    public void Problem_NoneForUsableNames(string name) => Assert.IsNull(BlobNames.Problem(name));

    [TestMethod]
    [DataRow("../x.jpg", "'..' segment")]
    [DataRow("a/./b.jpg", "'.' segment")]
    [DataRow("/lead.jpg", "empty segment")]
    [DataRow("a//b.jpg", "empty segment")]
    [DataRow("dir/", "empty segment")]
    [DataRow("a\\b.jpg", "backslash at position 2")]
    [DataRow("cat.", "ends with '.'")]
    [DataRow("esc\u001b.jpg", "U+001B at position 4")]
    [DataRow("del\u007f.jpg", "U+007F")]
    [DataRow("nel\u0085.jpg", "U+0085")]
    [DataRow("cr\r.jpg", "U+000D")]
    public void Problem_SaysWhatIsWrong(string name, string expected) => StringAssert.Contains(BlobNames.Problem(name), expected, StringComparison.Ordinal);

    [TestMethod]
    public void ForLog_EscapesEveryControlCharacterAndTheBackslash()
    {
        Assert.AreEqual("a\\u000Db\\u000Ac\\u0009d\\u001Be\\u007Ff\\u0085g\\\\h", BlobNames.ForLog("a\rb\nc\td\u001be\u007ff\u0085g\\h"));
        Assert.AreEqual("plain ünï/name.jpg", BlobNames.ForLog("plain ünï/name.jpg"));
    }

    [TestMethod]
    [DataRow("uploads/../../etc/passwd.jpg")]
    [DataRow("../../escape/dotdot.jpg")]
    [DataRow("/lead.jpg")]
    [DataRow("a/./b.jpg")]
    public void Open_NameAUrlWouldResolveElsewhere_Throws(string name)
    {
        BlobContainerClient container = new BlobServiceClient(Connection).GetBlobContainerClient("images-in");
        Assert.ThrowsExactly<ArgumentException>(() => container.Open(name));
    }

    [TestMethod]
    [DataRow("a\\b.jpg")]
    [DataRow("%2e%2e/x.jpg")]
    [DataRow("tab\t.jpg")]
    public void Open_OtherNames_AddressExactlyThatBlob(string name)
    {
        BlobClient blob = new BlobServiceClient(Connection).GetBlobContainerClient("images-in").Open(name);
        Assert.AreEqual("images-in", blob.BlobContainerName);
        Assert.AreEqual(name, blob.Name);
    }
}

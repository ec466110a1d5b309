using Azure;
using Orchestration.Workflows.Storage;

namespace Orchestration.Workflows.Tests.Storage;

[TestClass]
public sealed class StorageErrorsTests
{
    [TestMethod]
    [DataRow(400)]
    [DataRow(401)]
    [DataRow(403)]
    [DataRow(404)]
    [DataRow(412)]
    public void IsPermanent_ClientError_True(int status)
    {
        Assert.IsTrue(StorageErrors.IsPermanent(new RequestFailedException(status, "x")));
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(408)]
    [DataRow(409)]
    [DataRow(429)]
    [DataRow(500)]
    [DataRow(503)]
    public void IsPermanent_RetriableStatus_False(int status)
    {
        Assert.IsFalse(StorageErrors.IsPermanent(new RequestFailedException(status, "x")));
    }

    [TestMethod]
    public void IsPermanent_InvalidBlockListFromConcurrentWriters_FalseSoItIsRetried()
    {
        Assert.IsFalse(StorageErrors.IsPermanent(new RequestFailedException(400, "The specified block list is invalid.", "InvalidBlockList", null)));
        Assert.IsTrue(StorageErrors.IsPermanent(new RequestFailedException(400, "bad", "InvalidHeaderValue", null)));
    }

    [TestMethod]
    public void Explain_404_SaysTheBlobDoesNotExistAndKeepsTheCause()
    {
        var cause = new RequestFailedException(404, "BlobNotFound");

        InvalidOperationException ex = StorageErrors.Explain(cause, "samples-in", "a.txt");

        Assert.AreEqual("Blob 'samples-in/a.txt' does not exist (deleted after it was triggered?).", ex.Message);
        Assert.AreSame(cause, ex.InnerException);
    }

    [TestMethod]
    public void Explain_OtherStatus_IncludesStatusAndErrorCode()
    {
        InvalidOperationException ex = StorageErrors.Explain(new RequestFailedException(400, "bad", "InvalidResourceName", null), "c-1", "n");

        Assert.Contains("400 InvalidResourceName", ex.Message);
        Assert.Contains("'c-1/n'", ex.Message);
    }
}

using Orchestration.Workflows.Http;
using Orchestration.Workflows.Triggers;

namespace Orchestration.Workflows.Tests.Triggers;

[TestClass]
public sealed class PoisonQueueTests
{
    static readonly DateTimeOffset InsertedOn = new(2026, 2, 3, 4, 5, 6, TimeSpan.Zero);

    [TestMethod]
    public void Parse_FunctionsHostMessage_ReadsBlobAndFunction()
    {
        // The shape the Functions host writes (no Reason).
        var body = BinaryData.FromString("""{"Type":"BlobTrigger","FunctionId":"Host.Functions.BlobTrigger_SamplesIn","BlobType":"BlockBlob","ContainerName":"samples-in","BlobName":"bad.csv","ETag":"\"0x1\""}""");

        PoisonBlob blob = PoisonQueue.Parse(body, InsertedOn);

        Assert.AreEqual(new PoisonBlob("Host.Functions.BlobTrigger_SamplesIn", "samples-in", "bad.csv", "\"0x1\"", null, InsertedOn), blob);
    }

    [TestMethod]
    public void CreateThenParse_LocalHostMessage_RoundTripsWithReason()
    {
        BinaryData body = PoisonQueue.Create("BlobTrigger_SamplesIn", "samples-in", "dir/x.bin", "\"0x2\"", "failed 5 times: boom");

        PoisonBlob blob = PoisonQueue.Parse(body, null);

        Assert.AreEqual(new PoisonBlob("BlobTrigger_SamplesIn", "samples-in", "dir/x.bin", "\"0x2\"", "failed 5 times: boom", null), blob);
    }

    [TestMethod]
    public void Parse_NotJson_ReportsItAsUnreadable()
    {
        PoisonBlob blob = PoisonQueue.Parse(BinaryData.FromString("garbage{"), InsertedOn);

        Assert.IsNull(blob.BlobName);
        Assert.AreEqual("unreadable poison message: garbage{", blob.Reason);
        Assert.AreEqual(InsertedOn, blob.InsertedOn);
    }

    [TestMethod]
    public void Parse_JsonArrayOrWrongTypes_NullFields()
    {
        Assert.IsNull(PoisonQueue.Parse(BinaryData.FromString("[1,2]"), null).ContainerName);
        Assert.IsNull(PoisonQueue.Parse(BinaryData.FromString("""{"ContainerName":5}"""), null).ContainerName);
    }
}

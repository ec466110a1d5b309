using Orchestration.Workflows.Durable;
using Orchestration.Workflows.Samples;
using Orchestration.Workflows.Storage;
using Orchestration.Workflows.Tests.Infrastructure;

namespace Orchestration.Workflows.Tests.Samples;

[TestClass]
public sealed class BlobDigestOrchestratorTests
{
    static readonly BlobRef Blob = new("samples-in", "data/report.csv", "\"0x8DC1\"");
    static readonly BlobDigest Digest = new("samples-in", "data/report.csv", "\"0x8DC1\"", 42, "ab12");

    static OrchestrationContextFake DigestingContext()
    {
        var fake = new OrchestrationContextFake();
        fake.OnActivity<BlobDigest>((name, _) => name == nameof(ComputeBlobDigestActivity)
            ? Task.FromResult(Digest)
            : throw new AssertFailedException($"{name} does not return a digest"));
        fake.OnActivity<string>((name, _) => name == nameof(WriteBlobDigestActivity)
            ? Task.FromResult("samples-out/data/report.csv.sha256.json")
            : throw new AssertFailedException($"{name} does not return a path"));
        return fake;
    }

    [TestMethod]
    public async Task RunAsync_Blob_ComputesWithTheBlobThenWritesTheDigest()
    {
        OrchestrationContextFake fake = DigestingContext();

        BlobDigestResult result = await new BlobDigestOrchestrator().RunAsync(fake.Object, Blob);

        Assert.AreEqual(new BlobDigestResult(Digest, "samples-out/data/report.csv.sha256.json"), result);
        Assert.HasCount(2, fake.Activities);
        Assert.AreEqual(nameof(ComputeBlobDigestActivity), fake.Activities[0].Name);
        Assert.AreEqual(Blob, fake.Activities[0].Input);
        Assert.AreEqual(nameof(WriteBlobDigestActivity), fake.Activities[1].Name);
        Assert.AreSame(Digest, fake.Activities[1].Input);
    }

    [TestMethod]
    public async Task RunAsync_Blob_BothStorageActivitiesRetryFiveTimes()
    {
        OrchestrationContextFake fake = DigestingContext();

        await new BlobDigestOrchestrator().RunAsync(fake.Object, Blob);

        foreach (ScheduledCall call in fake.Activities)
        {
            OrchestrationContextFake.AssertRetries(call.Options, call.Name);
            Assert.AreEqual(5, call.Options!.Retry!.Policy!.MaxNumberOfAttempts, call.Name);
        }
    }

    [TestMethod]
    public async Task RunAsync_Blob_PublishesDigestWriteDone()
    {
        OrchestrationContextFake fake = DigestingContext();

        await new BlobDigestOrchestrator().RunAsync(fake.Object, Blob);

        CollectionAssert.AreEqual(
            new object[] { new Progress("digest", 0, 2), new Progress("write", 1, 2), new Progress("done", 2, 2) },
            fake.Statuses);
    }

    [TestMethod]
    public async Task RunAsync_NameBreaksTheRule_RejectedWithAReasonFileWithoutReadingTheBlob()
    {
        var fake = new OrchestrationContextFake();
        fake.OnActivity<BlobDigest>((name, _) => throw new AssertFailedException($"{name}: the blob must not be read"));
        fake.OnActivity<string>((_, _) => Task.FromResult("samples-out/~name/ab12.reason.json"));
        var bad = new BlobRef("samples-in", "../../escape/x.csv", "\"0x8DC1\"");

        BlobDigestResult result = await new BlobDigestOrchestrator().RunAsync(fake.Object, bad);

        ScheduledCall call = fake.Activities.Single();
        Assert.AreEqual((nameof(RejectBlobDigestActivity), (object)bad), (call.Name, call.Input));
        OrchestrationContextFake.AssertRetries(call.Options, call.Name);
        Assert.AreEqual(BlobDigestOutcome.Rejected, result.Outcome);
        Assert.IsNull(result.Digest);
        Assert.AreEqual("samples-out/~name/ab12.reason.json", result.Output, "the path the activity returns");
        Assert.Contains("'../../escape/x.csv'", result.Reason!);
        Assert.Contains("'..' segment", result.Reason!);
    }

    [TestMethod]
    public async Task RunAsync_ComputeFails_DoesNotWrite()
    {
        var fake = new OrchestrationContextFake();
        fake.OnActivity<BlobDigest>((_, _) => Task.FromException<BlobDigest>(new InvalidOperationException("gone")));
        fake.OnActivity<string>((_, _) => Task.FromResult("unexpected"));

        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => new BlobDigestOrchestrator().RunAsync(fake.Object, Blob));

        Assert.IsFalse(fake.Activities.Exists(a => a.Name == nameof(WriteBlobDigestActivity)));
    }
}

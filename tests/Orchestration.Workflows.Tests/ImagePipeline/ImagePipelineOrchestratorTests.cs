using Microsoft.DurableTask;
using Moq;
using Orchestration.Workflows.Durable;
using Orchestration.Workflows.ImagePipeline;
using Orchestration.Workflows.Imaging;
using Orchestration.Workflows.Storage;
using Orchestration.Workflows.Tests.Infrastructure;
using Orchestration.Workflows.Triggers;

namespace Orchestration.Workflows.Tests.ImagePipeline;

[TestClass]
public sealed class ImagePipelineOrchestratorTests
{
    const string ETag = "\"0x8DC1\"";
    static readonly ImagePipelineInput Input = new("images-in", "trips/beach.photo.jpg", ETag);
    static readonly BlobRef Source = new("images-in", "trips/beach.photo.jpg", ETag);
    static readonly Inspection.Accepted Accepted = new(ImageFormat.Jpeg, 4000, 3000, 1, 3, false, "srgb", 1, 123_456);
    static readonly Inspection.Rejected Rejected = new(RejectionCode.NotAnImage, "The file is not an image.", "JPEG images of at most 50 MB");

    static readonly IReadOnlyList<VariantInfo> Variants =
    [
        new("desktop", ImageFormat.Jpeg, 1440, 1080, 1000, "aa", "images-out/trips/beach.photo/desktop.jpg"),
        new("thumbnail", ImageFormat.Jpeg, 150, 150, 100, "bb", "images-out/trips/beach.photo/thumbnail.jpg"),
    ];

    static readonly Inspection.Rejected Damaged = new(RejectionCode.Corrupt, "The JPEG file is damaged.", "JPEG images of at most 50 MB");

    static OrchestrationContextFake Context(Inspection verdict, string? mark = null, Inspection.Rejected? renderRejection = null)
    {
        var fake = new OrchestrationContextFake("image-1");
        fake.OnActivity<SourceInspection>((name, _) => name == nameof(InspectImageActivity)
            ? Task.FromResult(new SourceInspection(ETag, mark is null ? verdict : null, mark))
            : throw new AssertFailedException($"{name} does not inspect"));
        fake.OnActivity<RenderResult>((name, _) => name == nameof(RenderVariantsActivity)
            ? Task.FromResult(renderRejection is null ? new RenderResult(Variants) : new RenderResult([], renderRejection))
            : throw new AssertFailedException($"{name} does not render"));
        fake.OnActivity<string>((name, _) => name switch
        {
            nameof(WriteManifestActivity) => Task.FromResult("images-out/trips/beach.photo/manifest.json"),
            nameof(RejectImageActivity) => Task.FromResult("images-rejected/trips/beach.photo.jpg.reason.json"),
            _ => throw new AssertFailedException($"{name} does not return a path"),
        });
        fake.OnActivity<bool>((name, _) => name == nameof(MarkSourceDoneActivity)
            ? Task.FromResult(true)
            : throw new AssertFailedException($"{name} does not mark"));
        return fake;
    }

    [TestMethod]
    public async Task RunAsync_Accepted_InspectsRendersWritesManifestThenMarksProcessed()
    {
        OrchestrationContextFake fake = Context(Accepted);

        ImagePipelineResult result = await new ImagePipelineOrchestrator().RunAsync(fake.Object, Input);

        CollectionAssert.AreEqual(
            new[] { nameof(InspectImageActivity), nameof(RenderVariantsActivity), nameof(WriteManifestActivity), nameof(MarkSourceDoneActivity) },
            fake.Activities.Select(a => a.Name).ToArray());
        Assert.AreEqual(Source, fake.Activities[0].Input);
        Assert.AreEqual(new RenderRequest(Source, Accepted, "trips/beach.photo"), fake.Activities[1].Input);
        var manifest = (Manifest)fake.Activities[2].Input!;
        Assert.AreEqual(Source, manifest.Source);
        Assert.AreEqual("trips/beach.photo", manifest.Stem);
        Assert.AreSame(Variants, manifest.Variants);
        Assert.AreEqual("image-1", manifest.Instance);
        Assert.AreEqual(new MarkRequest(Source, ImageOutcome.Processed), fake.Activities[3].Input);
        Assert.AreEqual(ImageOutcome.Processed, result.Outcome);
        Assert.AreEqual("images-out/trips/beach.photo/manifest.json", result.Manifest);
        Assert.AreEqual(2, result.Variants);
        Assert.IsNull(result.Reason);
    }

    [TestMethod]
    public async Task RunAsync_NoETagGiven_LaterStepsUseTheInspectedVersion()
    {
        OrchestrationContextFake fake = Context(Accepted);

        await new ImagePipelineOrchestrator().RunAsync(fake.Object, Input with { ETag = null });

        Assert.IsNull(((BlobRef)fake.Activities[0].Input!).ETag);
        Assert.AreEqual(ETag, ((RenderRequest)fake.Activities[1].Input!).Source.ETag);
        Assert.AreEqual(ETag, ((MarkRequest)fake.Activities[3].Input!).Source.ETag);
    }

    [TestMethod]
    public async Task RunAsync_Rejected_CopiesWithReasonMarksRejectedAndNeverRenders()
    {
        OrchestrationContextFake fake = Context(Rejected);

        ImagePipelineResult result = await new ImagePipelineOrchestrator().RunAsync(fake.Object, Input);

        CollectionAssert.AreEqual(
            new[] { nameof(InspectImageActivity), nameof(RejectImageActivity), nameof(MarkSourceDoneActivity) },
            fake.Activities.Select(a => a.Name).ToArray());
        Assert.AreEqual(new RejectRequest(Source, Rejected), fake.Activities[1].Input);
        Assert.AreEqual(new MarkRequest(Source, ImageOutcome.Rejected), fake.Activities[2].Input);
        Assert.AreEqual(ImageOutcome.Rejected, result.Outcome);
        Assert.AreEqual(RejectionCode.NotAnImage, result.Code);
        Assert.AreEqual(Rejected.Reason, result.Reason);
        Assert.AreEqual("images-rejected/trips/beach.photo.jpg.reason.json", result.RejectedTo);
        Assert.IsNull(result.Manifest);
    }

    [TestMethod]
    [DataRow("../../escape/dotdot.jpg")]
    [DataRow("uploads/../../etc/passwd.jpg")]
    [DataRow("/lead.jpg")]
    [DataRow("tab\t.jpg")]
    [DataRow("del\u007f.jpg")]
    public async Task RunAsync_NameBreaksTheRule_RejectedBadNameWithOnlyAReasonFile(string name)
    {
        OrchestrationContextFake fake = Context(Accepted);

        ImagePipelineResult result = await new ImagePipelineOrchestrator().RunAsync(fake.Object, Input with { Name = name });

        CollectionAssert.AreEqual(new[] { nameof(RejectImageActivity) }, fake.Activities.Select(a => a.Name).ToArray(), "the source is neither inspected nor marked");
        RejectRequest request = (RejectRequest)fake.Activities[0].Input!;
        Assert.AreEqual(Source with { Name = name }, request.Source);
        Assert.AreEqual(RejectionCode.BadName, request.Inspection.Code);
        Assert.AreEqual(ImageOutcome.Rejected, result.Outcome);
        Assert.AreEqual(RejectionCode.BadName, result.Code);
        Assert.IsFalse(result.Reason!.Any(char.IsControl), "the reason shows the name escaped");
    }

    [TestMethod]
    public async Task RunAsync_AlreadyMarked_StopsAfterInspectionWithoutWriting()
    {
        OrchestrationContextFake fake = Context(Accepted, mark: "processed");

        ImagePipelineResult result = await new ImagePipelineOrchestrator().RunAsync(fake.Object, Input);

        Assert.HasCount(1, fake.Activities);
        Assert.AreEqual(ImageOutcome.AlreadyDone, result.Outcome);
    }

    [TestMethod]
    public async Task RunAsync_Accepted_PublishesEachStage()
    {
        OrchestrationContextFake fake = Context(Accepted);

        await new ImagePipelineOrchestrator().RunAsync(fake.Object, Input);

        CollectionAssert.AreEqual(
            new object[] { new Progress("inspect", 0, 4), new Progress("render", 1, 4), new Progress("manifest", 2, 4), new Progress("mark", 3, 4), new Progress("done", 4, 4) },
            fake.Statuses);
    }

    [TestMethod]
    public async Task RunAsync_Rejected_PublishesEachStage()
    {
        OrchestrationContextFake fake = Context(Rejected);

        await new ImagePipelineOrchestrator().RunAsync(fake.Object, Input);

        CollectionAssert.AreEqual(
            new object[] { new Progress("inspect", 0, 4), new Progress("reject", 1, 3), new Progress("mark", 2, 3), new Progress("done", 3, 3) },
            fake.Statuses);
    }

    [TestMethod]
    public async Task RunAsync_EveryStorageActivity_RetriesTransientFaultsOnly()
    {
        foreach (Inspection verdict in new Inspection[] { Accepted, Rejected })
        {
            OrchestrationContextFake fake = Context(verdict);

            await new ImagePipelineOrchestrator().RunAsync(fake.Object, Input);

            foreach (ScheduledCall call in fake.Activities)
            {
                Assert.AreSame(call.Name == nameof(RenderVariantsActivity) ? RenderVariantsActivity.Options : TaskDefaults.Storage, call.Options, call.Name);
            }
        }
    }

    [TestMethod]
    public async Task RunAsync_RenderFails_NoManifestAndNoMark()
    {
        OrchestrationContextFake fake = Context(Accepted);
        fake.OnActivity<RenderResult>((_, _) => Task.FromException<RenderResult>(new InvalidOperationException("boom")));

        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => new ImagePipelineOrchestrator().RunAsync(fake.Object, Input));

        Assert.IsFalse(fake.Activities.Exists(a => a.Name is nameof(WriteManifestActivity) or nameof(MarkSourceDoneActivity)));
    }

    [TestMethod]
    public async Task RunAsync_RenderFindsDamagedPixels_TakesTheRejectPathAndCompletesRejected()
    {
        OrchestrationContextFake fake = Context(Accepted, renderRejection: Damaged);

        ImagePipelineResult result = await new ImagePipelineOrchestrator().RunAsync(fake.Object, Input);

        CollectionAssert.AreEqual(
            new[] { nameof(InspectImageActivity), nameof(RenderVariantsActivity), nameof(RejectImageActivity), nameof(MarkSourceDoneActivity) },
            fake.Activities.Select(a => a.Name).ToArray(),
            "no manifest for an image that did not render");
        Assert.AreEqual(new RejectRequest(Source, Damaged), fake.Activities[2].Input);
        Assert.AreEqual(new MarkRequest(Source, ImageOutcome.Rejected), fake.Activities[3].Input);
        Assert.AreEqual(ImageOutcome.Rejected, result.Outcome);
        Assert.AreEqual(RejectionCode.Corrupt, result.Code);
        Assert.AreEqual(Damaged.Reason, result.Reason);
        Assert.AreEqual("images-rejected/trips/beach.photo.jpg.reason.json", result.RejectedTo);
        Assert.IsNull(result.Manifest);
        Assert.AreEqual(0, result.Variants);
        foreach (ScheduledCall call in fake.Activities)
        {
            Assert.AreSame(call.Name == nameof(RenderVariantsActivity) ? RenderVariantsActivity.Options : TaskDefaults.Storage, call.Options, call.Name);
        }
    }

    [TestMethod]
    public async Task RunAsync_RenderFindsDamagedPixels_PublishesEachStage()
    {
        OrchestrationContextFake fake = Context(Accepted, renderRejection: Damaged);

        await new ImagePipelineOrchestrator().RunAsync(fake.Object, Input);

        CollectionAssert.AreEqual(
            new object[] { new Progress("inspect", 0, 4), new Progress("render", 1, 4), new Progress("reject", 2, 4), new Progress("mark", 3, 4), new Progress("done", 4, 4) },
            fake.Statuses);
    }

    [TestMethod]
    public async Task RunAsync_Prefix_FansOutOneChildPerImageWithDeterministicIdsAndSumsOutcomes()
    {
        var listed = Enumerable.Range(0, 5).Select(i => new BlobRef("images-in", $"batch/{i}.jpg", $"\"0x{i}\"")).ToList();
        var fake = new OrchestrationContextFake("batch-1");
        fake.OnActivity<ImageListing>((name, _) => name == nameof(ListImagesActivity)
            ? Task.FromResult(new ImageListing(listed, ContinuationToken: null))
            : throw new AssertFailedException($"{name} does not list"));
        fake.OnSubOrchestration<ImagePipelineResult>((_, input, _) => ((ImagePipelineInput)input!).Name switch
        {
            "batch/0.jpg" or "batch/1.jpg" => Task.FromResult(new ImagePipelineResult(ImageOutcome.Processed)),
            "batch/2.jpg" => Task.FromResult(new ImagePipelineResult(ImageOutcome.Rejected)),
            _ => Task.FromException<ImagePipelineResult>(new TaskFailedException(nameof(ImagePipelineOrchestrator), 1, new TaskFailureDetails("System.InvalidOperationException", "x", null, null, null))),
        });

        ImagePipelineResult result = await new ImagePipelineOrchestrator().RunAsync(fake.Object, new ImagePipelineInput("images-in", Prefix: "batch/"));

        Assert.AreEqual(new ListImagesRequest("images-in", "batch/", ContinuationToken: null), fake.Activities.Single().Input);
        Assert.HasCount(5, fake.SubOrchestrations);
        for (int i = 0; i < listed.Count; i++)
        {
            ScheduledCall child = fake.SubOrchestrations[i];
            Assert.AreEqual(nameof(ImagePipelineOrchestrator), child.Name);
            Assert.AreEqual(ImagePipelineInput.FromBlob(listed[i]), child.Input);
            string expectedId = $"batch-1:{BlobTriggerStarter.InstanceIdFor("image-pipeline", listed[i])}";
            Assert.AreEqual(expectedId, ((SubOrchestrationOptions)child.Options!).InstanceId);
        }

        Assert.AreEqual(new ImagePipelineResult(ImageOutcome.Batch, Source: "images-in/batch/", Total: 5, Processed: 2, Rejected: 1, Failed: 2, Pages: 1), result);
        Assert.AreEqual(new Progress("done", 5, 5), fake.Statuses[^1]);
        fake.Mock.Verify(c => c.ContinueAsNew(It.IsAny<object?>(), It.IsAny<bool>()), Times.Never);
    }

    [TestMethod]
    public async Task RunAsync_PageLargerThanTheWindow_StartsTheNextChildAsSoonAsOneFinishes()
    {
        int count = ImagePipelineOrchestrator.WindowSize + 3;
        var listed = Enumerable.Range(0, count).Select(i => new BlobRef("images-in", $"{i}.jpg", "\"0x1\"")).ToList();
        var fake = new OrchestrationContextFake("batch-2");
        fake.OnActivity<ImageListing>((_, _) => Task.FromResult(new ImageListing(listed, ContinuationToken: null)));
        var children = new Dictionary<string, TaskCompletionSource<ImagePipelineResult>>();
        fake.OnSubOrchestration<ImagePipelineResult>((_, input, _) =>
        {
            var child = new TaskCompletionSource<ImagePipelineResult>();
            children[((ImagePipelineInput)input!).Name!] = child;
            return child.Task;
        });

        Task<ImagePipelineResult> run = new ImagePipelineOrchestrator().RunAsync(fake.Object, new ImagePipelineInput("images-in", Prefix: string.Empty));

        Assert.HasCount(ImagePipelineOrchestrator.WindowSize, fake.SubOrchestrations, "a full window, no more");
        children["7.jpg"].SetResult(new ImagePipelineResult(ImageOutcome.Processed));
        Assert.HasCount(ImagePipelineOrchestrator.WindowSize + 1, fake.SubOrchestrations, "one finished, one more started; the rest of the window still runs");
        Assert.AreEqual(new Progress("images", 1, count), fake.Statuses[^1]);

        // Each completion starts the next child synchronously (the fake's tasks complete inline).
        while (!run.IsCompleted)
        {
            children.Values.First(c => !c.Task.IsCompleted).SetResult(new ImagePipelineResult(ImageOutcome.Rejected));
        }

        ImagePipelineResult result = await run;
        Assert.HasCount(count, fake.SubOrchestrations);
        Assert.AreEqual((count, 1, count - 1), (result.Total, result.Processed, result.Rejected));
    }

    [TestMethod]
    public async Task RunAsync_ListingHasAnotherPage_ContinuesAsNewWithTheTokenAndTheCountsSoFar()
    {
        var listed = new[] { new BlobRef("images-in", "p/a.jpg", "\"1\""), new BlobRef("images-in", "p/b.jpg", "\"2\"") };
        var fake = new OrchestrationContextFake("batch-3");
        var next = new List<object?>();
        fake.Mock.Setup(c => c.ContinueAsNew(It.IsAny<object?>(), It.IsAny<bool>())).Callback<object?, bool>((input, _) => next.Add(input));
        fake.OnActivity<ImageListing>((_, _) => Task.FromResult(new ImageListing(listed, ContinuationToken: "page-2")));
        fake.OnSubOrchestration<ImagePipelineResult>((_, _, _) => Task.FromResult(new ImagePipelineResult(ImageOutcome.Processed)));
        var input = new ImagePipelineInput("images-in", Prefix: "p/");

        await new ImagePipelineOrchestrator().RunAsync(fake.Object, input);

        Assert.AreEqual(input with { Cursor = new BatchCursor("page-2", Pages: 1, Total: 2, Processed: 2, Rejected: 0, Failed: 0) }, next.Single());
        Assert.AreNotEqual("done", ((Progress)fake.Statuses[^1]!).Stage, "not done until the last page");
    }

    [TestMethod]
    public async Task RunAsync_ContinuedBatchOnItsLastPage_ListsFromTheTokenAndAddsToTheCountsSoFar()
    {
        var listed = new[] { new BlobRef("images-in", "p/c.jpg", "\"3\"") };
        var fake = new OrchestrationContextFake("batch-4");
        fake.OnActivity<ImageListing>((_, _) => Task.FromResult(new ImageListing(listed, ContinuationToken: null)));
        fake.OnSubOrchestration<ImagePipelineResult>((_, _, _) => Task.FromResult(new ImagePipelineResult(ImageOutcome.Rejected)));
        var cursor = new BatchCursor("page-2", Pages: 1, Total: 1000, Processed: 990, Rejected: 6, Failed: 4);

        ImagePipelineResult result = await new ImagePipelineOrchestrator().RunAsync(fake.Object, new ImagePipelineInput("images-in", Prefix: "p/", Cursor: cursor));

        Assert.AreEqual(new ListImagesRequest("images-in", "p/", "page-2"), fake.Activities.Single().Input);
        Assert.AreEqual(new ImagePipelineResult(ImageOutcome.Batch, Source: "images-in/p/", Total: 1001, Processed: 990, Rejected: 7, Failed: 4, Pages: 2), result);
        Assert.AreEqual(new Progress("done", 1001, 1001), fake.Statuses[^1]);
        Assert.AreEqual(new Progress("list", 1000, 1000), fake.Statuses[0], "progress picks up where the last generation left off");
    }
}

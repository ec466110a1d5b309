using System.Text.Json;
using Microsoft.DurableTask;
using Orchestration.Workflows.Durable;
using Orchestration.Workflows.FraudScan;
using Orchestration.Workflows.Storage;
using Orchestration.Workflows.Tests.Infrastructure;

namespace Orchestration.Workflows.Tests.FraudScan;

[TestClass]
public sealed class FraudScanOrchestratorTests
{
    static readonly ScanFile Events = new(new BlobRef("market-events", "2026-11-24/desk.csv", "\"e1\""), 1000);
    static readonly ScanFile NewsFeed = new(new BlobRef("market-events", "news/2026-11-24/feed.csv", "\"n1\""), 100);

    static PartitionedFile Accepted(int index, ScanFile file, bool news, params int[] partitions) =>
        new(index, file.Blob.ToString(), true, null, news, Lines: 11, Records: 10, BadLines: 1, [new BadLine(7, "quantity 'x' is not a whole number")], partitions);

    static PartitionedFile Refused(int index, ScanFile file, string reason) =>
        new(index, file.Blob.ToString(), false, reason, false, 0, 0, 0, [], []);

    /// <summary>A fake whose activities answer from the given plan and partition results; scans find 2 alerts per partition.</summary>
    static OrchestrationContextFake Scan(ScanPlan plan, params PartitionedFile[] files)
    {
        var fake = new OrchestrationContextFake("scan-1");
        fake.OnActivity<ScanPlan>((_, _) => Task.FromResult(plan));
        fake.OnActivity<PartitionedFile>((_, input) => Task.FromResult(files[((PartitionRequest)input!).FileIndex]));
        fake.OnActivity<PartitionScan>((_, input) => Task.FromResult(new PartitionScan(((ScanPartitionRequest)input!).Partition, Symbols: 3, Events: 10, Alerts: 2)));
        fake.OnActivity<ReportWritten>((_, _) => Task.FromResult(new ReportWritten("fraud-reports/abc/", 4, 20)));
        fake.OnActivity<int>((_, _) => Task.FromResult(5));
        return fake;
    }

    [TestMethod]
    public async Task RunAsync_EventsAndNews_PartitionsEachFileScansOnlyPartitionsWithEventsThenReportsAndCleansUp()
    {
        var plan = new ScanPlan("abc", [Events, NewsFeed], Partitions: 4);
        string work = ScanWork.Folder("abc", "scan-1");
        OrchestrationContextFake fake = Scan(plan, Accepted(0, Events, news: false, 0, 2), Accepted(1, NewsFeed, news: true, 2, 3));

        FraudScanResult result = await new FraudScanOrchestrator().RunAsync(fake.Object, new FraudScanInput(Name: "2026-11-24/desk.csv"));

        var resolve = (ResolveScanRequest)fake.Activities[0].Input!;
        Assert.AreEqual(("market-events", "2026-11-24/desk.csv", null, null, "news/2026-11-24/"), (resolve.Container, resolve.Names.Single(), resolve.ETag, resolve.Prefix, resolve.NewsPrefix));
        CollectionAssert.AreEqual(
            new[] { new PartitionRequest(work, 0, Events, 4), new PartitionRequest(work, 1, NewsFeed, 4) },
            fake.Activities.Where(a => a.Name == nameof(PartitionFileActivity)).Select(a => a.Input).ToArray());
        ScanPartitionRequest[] scans = fake.Activities.Where(a => a.Name == nameof(ScanPartitionActivity)).Select(a => (ScanPartitionRequest)a.Input!).ToArray();
        Assert.AreEqual("0:0 2:0,1", string.Join(" ", scans.Select(s => $"{s.Partition}:{string.Join(",", s.FileIndexes)}")), "partition 3 holds news only: nothing to scan");
        var report = (ReportRequest)fake.Activities.Single(a => a.Name == nameof(WriteFraudReportActivity)).Input!;
        Assert.AreEqual(plan, report.Plan);
        Assert.HasCount(2, report.Partitions);
        Assert.AreEqual(work, report.Work);
        Assert.AreEqual(work, fake.Activities[^1].Input, "the scan's work blobs are deleted last");
        Assert.AreEqual(nameof(DeleteScanWorkActivity), fake.Activities[^1].Name);
        Assert.AreEqual(new FraudScanResult(ScanOutcome.Reported, "abc", "fraud-reports/abc/", Alerts: 4, EventsScanned: 20, BadLines: 2, Files: 2, RejectedFiles: 0), result);
        Assert.AreEqual(new Progress("done", 1, 1), fake.Statuses[^1]);
        foreach (ScheduledCall call in fake.Activities)
        {
            OrchestrationContextFake.AssertRetries(call.Options, call.Name);
        }
    }

    [TestMethod]
    public async Task RunAsync_NothingMatched_RejectedNamingWhatWasLookedFor()
    {
        OrchestrationContextFake fake = Scan(new ScanPlan("none", [], 1));

        FraudScanResult result = await new FraudScanOrchestrator().RunAsync(fake.Object, new FraudScanInput(Prefix: "2026-11-24/"));

        Assert.AreEqual(ScanOutcome.Rejected, result.Outcome);
        Assert.Contains("'2026-11-24/'", result.Reason!);
        Assert.AreEqual(nameof(ResolveScanInputsActivity), fake.Activities.Single().Name);
    }

    [TestMethod]
    public async Task RunAsync_EveryFileRejected_RejectedWithEachFilesReasonAndNoScan()
    {
        ScanFile other = Events with { Blob = Events.Blob with { Name = "2026-11-24/photo.csv" } };
        OrchestrationContextFake fake = Scan(new ScanPlan("bad", [Events, other], 2), Refused(0, Events, "empty file"), Refused(1, other, "not events: a PNG image"));

        FraudScanResult result = await new FraudScanOrchestrator().RunAsync(fake.Object, new FraudScanInput(Blobs: ["2026-11-24/desk.csv", "2026-11-24/photo.csv"]));

        Assert.AreEqual(ScanOutcome.Rejected, result.Outcome);
        Assert.AreEqual((2, 2), (result.Files, result.RejectedFiles));
        Assert.Contains("market-events/2026-11-24/desk.csv: empty file", result.Reason!);
        Assert.Contains("market-events/2026-11-24/photo.csv: not events: a PNG image", result.Reason!);
        Assert.IsFalse(fake.Activities.Any(a => a.Name is nameof(ScanPartitionActivity)));
        var summary = (ReportRequest)fake.Activities.Single(a => a.Name == nameof(WriteFraudReportActivity)).Input!;
        Assert.IsTrue(summary.SummaryOnly, "a summary of each file's verdict, no alerts");
        Assert.AreEqual("fraud-reports/abc/", result.Report);
    }

    [TestMethod]
    public async Task RunAsync_RejectedEventsFileBesideAcceptedNews_RejectedCountedAndSummarised()
    {
        OrchestrationContextFake fake = Scan(new ScanPlan("day", [Events, NewsFeed], 2), Refused(0, Events, "cut short"), Accepted(1, NewsFeed, news: true, 0));

        FraudScanResult result = await new FraudScanOrchestrator().RunAsync(fake.Object, new FraudScanInput(Name: "2026-11-24/desk.csv"));

        Assert.AreEqual(ScanOutcome.Rejected, result.Outcome, result.Reason);
        Assert.AreEqual((2, 1), (result.Files, result.RejectedFiles));
        Assert.AreEqual("market-events/2026-11-24/desk.csv: cut short", result.Reason);
        var summary = (ReportRequest)fake.Activities.Single(a => a.Name == nameof(WriteFraudReportActivity)).Input!;
        Assert.AreEqual((true, 2), (summary.SummaryOnly, summary.Files.Count));
        Assert.IsFalse(fake.Activities.Any(a => a.Name == nameof(ScanPartitionActivity)));
        Assert.AreEqual(nameof(DeleteScanWorkActivity), fake.Activities[^1].Name, "the news file's partitions are deleted");
    }

    [TestMethod]
    public async Task RunAsync_FileNameBreaksTheRule_RejectedAsBadNameWithoutPartitioningIt()
    {
        ScanFile bad = Events with { Blob = Events.Blob with { Name = "2026-11-24/../../escape/\tdesk.csv" } };
        OrchestrationContextFake fake = Scan(new ScanPlan("day", [bad, NewsFeed], 2), Accepted(0, bad, news: false, 0), Accepted(1, NewsFeed, news: true, 0));

        FraudScanResult result = await new FraudScanOrchestrator().RunAsync(fake.Object, new FraudScanInput(Name: bad.Blob.Name));

        Assert.AreEqual(ScanOutcome.Rejected, result.Outcome, result.Reason);
        Assert.AreEqual((2, 1), (result.Files, result.RejectedFiles));
        Assert.AreEqual(NewsFeed, ((PartitionRequest)fake.Activities.Single(a => a.Name == nameof(PartitionFileActivity)).Input!).File, "only the news file is read");
        var summary = (ReportRequest)fake.Activities.Single(a => a.Name == nameof(WriteFraudReportActivity)).Input!;
        PartitionedFile refused = summary.Files[0];
        Assert.AreEqual((0, "market-events/2026-11-24/../../escape/\tdesk.csv", false, EventFileRejection.BadName), (refused.FileIndex, refused.Blob, refused.Accepted, refused.Code));
        Assert.Contains("'2026-11-24/../../escape/\\u0009desk.csv'", refused.Reason!);
        Assert.Contains("control character U+0009", refused.Reason!);
        Assert.IsFalse(result.Reason!.Any(char.IsControl), "the result's reason holds the name escaped");
    }

    [TestMethod]
    public async Task RunAsync_OnlyNews_SkippedWithoutScanning()
    {
        OrchestrationContextFake fake = Scan(new ScanPlan("news", [NewsFeed], 1), Accepted(0, NewsFeed, news: true, 0));

        FraudScanResult result = await new FraudScanOrchestrator().RunAsync(fake.Object, new FraudScanInput(Name: "news/2026-11-24/feed.csv"));

        Assert.AreEqual(ScanOutcome.Skipped, result.Outcome);
        Assert.IsFalse(fake.Activities.Any(a => a.Name is nameof(ScanPartitionActivity) or nameof(WriteFraudReportActivity)));
        Assert.AreEqual(nameof(DeleteScanWorkActivity), fake.Activities[^1].Name, "the news file's partitions are deleted");
    }

    [TestMethod]
    public async Task RunAsync_MorePartitionsThanAGroup_ScansThroughSubOrchestrationsWithDeterministicIds()
    {
        int partitions = FraudScanOrchestrator.PartitionsPerGroup * 2 + 1;
        OrchestrationContextFake fake = Scan(new ScanPlan("big", [Events], partitions), Accepted(0, Events, news: false, [.. Enumerable.Range(0, partitions)]));
        fake.OnSubOrchestration<IReadOnlyList<PartitionScan>>((_, input, _) => Task.FromResult<IReadOnlyList<PartitionScan>>(
            ((ScanPartitionsInput)input!).Partitions.Select(p => new PartitionScan(p.Partition, 1, 1, 0)).ToList()));

        FraudScanResult result = await new FraudScanOrchestrator().RunAsync(fake.Object, new FraudScanInput(Name: "2026-11-24/desk.csv"));

        Assert.AreEqual(
            "scan-1:scan:0=64 scan-1:scan:1=64 scan-1:scan:2=1",
            string.Join(" ", fake.SubOrchestrations.Select(s => $"{((SubOrchestrationOptions)s.Options!).InstanceId}={((ScanPartitionsInput)s.Input!).Partitions.Count}")));
        Assert.IsFalse(fake.Activities.Any(a => a.Name == nameof(ScanPartitionActivity)), "the parent scans nothing itself");
        Assert.AreEqual(partitions, ((ReportRequest)fake.Activities.Single(a => a.Name == nameof(WriteFraudReportActivity)).Input!).Partitions.Count);
        Assert.AreEqual(ScanOutcome.Reported, result.Outcome);
    }

    [TestMethod]
    public async Task RunAsync_InlineEvents_StoredAsFilesFirstThenResolvedFromThere()
    {
        OrchestrationContextFake fake = Scan(new ScanPlan("inline", [], 1));
        fake.OnActivity<IReadOnlyList<BlobRef>>((_, _) => Task.FromResult<IReadOnlyList<BlobRef>>(
            [new BlobRef("fraud-work", "inline/h/events.jsonl", "\"1\""), new BlobRef("fraud-work", "inline/h/news.jsonl", "\"2\"")]));
        JsonElement anEvent = JsonSerializer.SerializeToElement(new { eventId = "e1" });

        await new FraudScanOrchestrator().RunAsync(fake.Object, new FraudScanInput(Events: [anEvent], News: [anEvent]));

        Assert.AreEqual(nameof(StoreInlineEventsActivity), fake.Activities[0].Name);
        var resolve = (ResolveScanRequest)fake.Activities[1].Input!;
        Assert.AreEqual("fraud-work", resolve.Container);
        CollectionAssert.AreEqual(new[] { "inline/h/events.jsonl", "inline/h/news.jsonl" }, resolve.Names.ToArray());
        Assert.IsNull(resolve.NewsPrefix);
    }

    [TestMethod]
    [DataRow("2026-11-24/desk.csv", "news/2026-11-24/")]
    [DataRow("2026-11-24/", "news/2026-11-24/")]
    [DataRow("2026-11-24/a/b.csv.gz", "news/2026-11-24/")]
    [DataRow("desk.csv", null)]
    [DataRow("2026-13-40/desk.csv", null)]
    [DataRow("news/2026-11-24/feed.csv", null)]
    [DataRow("", null)]
    [DataRow(null, null)]
    public void DefaultNewsPrefix_FromADateFolder(string? path, string? expected) =>
        Assert.AreEqual(expected, FraudScanOrchestrator.DefaultNewsPrefix(path));
}

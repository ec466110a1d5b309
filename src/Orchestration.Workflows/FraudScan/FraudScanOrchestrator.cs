using System.Globalization;
using Microsoft.DurableTask;
using Orchestration.Workflows.Durable;
using Orchestration.Workflows.Storage;

namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// <c>fraud-scan</c>: resolve the inputs to exact versions (the scan id hashes them) → cut every file into symbol
/// partitions, one activity per file (streaming; a whole symbol always lands in one partition) → scan every partition
/// with the rules, one activity each — through sub-orchestrations of <see cref="PartitionsPerGroup"/> when there are more,
/// so no history grows with the scan's size → merge, deduplicate and rank into <c>fraud-reports/{scanId}/</c> → delete
/// the partitions. The partitions live in a work folder of this instance's own (<see cref="ScanWork.Folder"/>), so
/// instances that scan the same inputs at once do not touch each other's. A scan with nothing to scan completes <see cref="ScanOutcome.Rejected"/> with the reason; bad lines
/// never stop it (they are counted and reported). A file whose name breaks the name rule is rejected (<see cref="EventFileRejection.BadName"/>)
/// without being read.
/// </summary>
public sealed class FraudScanOrchestrator : TaskOrchestrator<FraudScanInput, FraudScanResult>
{
    public const string Workflow = "fraud-scan";
    public const string InputContainer = Triggers.BlobTriggerFunctions.MarketEventsContainer;

    /// <summary>Partitions one orchestration scans directly; more are split into sub-orchestrations of this many.</summary>
    public const int PartitionsPerGroup = 64;

    public override async Task<FraudScanResult> RunAsync(TaskOrchestrationContext context, FraudScanInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        DateTime started = context.CurrentUtcDateTime;
        context.SetCustomStatus(new Progress("resolve", 0, 1));
        ResolveScanRequest request = await ResolveRequestAsync(context, input);
        ScanPlan plan = await context.CallActivityAsync<ScanPlan>(nameof(ResolveScanInputsActivity), request, TaskDefaults.Storage);
        if (plan.Files.Count == 0)
        {
            return Rejected(context, plan.ScanId, 0, 0, $"No file to scan: nothing matched {Describe(request)} in {request.Container}.");
        }

        // This instance's own work folder: another instance scanning the same inputs (same scan id) never shares it.
        string work = ScanWork.Folder(plan.ScanId, context.InstanceId);
        context.SetCustomStatus(new Progress("partition", 0, plan.Files.Count));
        PartitionedFile[] files = await Task.WhenAll(plan.Files.Select((file, index) => BlobNames.Refusal(file.Blob.Name) is { } badName
            ? Task.FromResult(new PartitionedFile(index, file.Blob.ToString(), false, badName, false, 0, 0, 0, [], [], EventFileRejection.BadName))
            : context.CallActivityAsync<PartitionedFile>(nameof(PartitionFileActivity), new PartitionRequest(work, index, file, plan.Partitions), TaskDefaults.Storage)));
        DateTime partitioned = context.CurrentUtcDateTime;
        int rejectedFiles = files.Count(f => !f.Accepted);
        var eventFiles = files.Where(f => f.Accepted && !f.News).ToList();
        if (eventFiles.Count == 0)
        {
            return await NothingToScanAsync(context, plan, work, files, new ScanTimings(started, partitioned, partitioned));
        }

        IReadOnlyList<ScanPartitionRequest> partitions = PartitionRequests(plan, work, files);
        context.SetCustomStatus(new Progress("scan", 0, partitions.Count));
        IReadOnlyList<PartitionScan> scans = partitions.Count <= PartitionsPerGroup
            ? await ScanPartitionsOrchestrator.ScanAllAsync(context, partitions)
            : await ScanInGroupsAsync(context, partitions);
        DateTime scanned = context.CurrentUtcDateTime;

        context.SetCustomStatus(new Progress("report", 0, 1));
        ReportWritten report = await context.CallActivityAsync<ReportWritten>(
            nameof(WriteFraudReportActivity), new ReportRequest(plan, files, scans, new ScanTimings(started, partitioned, scanned), work), TaskDefaults.Storage);
        await context.CallActivityAsync<int>(nameof(DeleteScanWorkActivity), work, TaskDefaults.Storage);
        return Finish(context, new FraudScanResult(
            ScanOutcome.Reported, plan.ScanId, report.Folder, report.Alerts, report.EventsScanned, files.Sum(f => f.BadLines), files.Length, rejectedFiles));
    }

    /// <summary>
    /// No events file was accepted. Only news (every file accepted, all of them news) is <see cref="ScanOutcome.Skipped"/>;
    /// a rejected file makes it <see cref="ScanOutcome.Rejected"/>, counted, with each file's reason in the result and in
    /// the report's <c>summary.json</c> — a news file beside it does not hide it. The news files' partitions are deleted.
    /// </summary>
    static async Task<FraudScanResult> NothingToScanAsync(TaskOrchestrationContext context, ScanPlan plan, string work, PartitionedFile[] files, ScanTimings timings)
    {
        int rejectedFiles = files.Count(f => !f.Accepted);
        ReportWritten? report = null;
        if (rejectedFiles > 0)
        {
            context.SetCustomStatus(new Progress("report", 0, 1));
            report = await context.CallActivityAsync<ReportWritten>(
                nameof(WriteFraudReportActivity), new ReportRequest(plan, files, [], timings, work, SummaryOnly: true), TaskDefaults.Storage);
        }

        await context.CallActivityAsync<int>(nameof(DeleteScanWorkActivity), work, TaskDefaults.Storage);
        return report is null
            ? Finish(context, new FraudScanResult(ScanOutcome.Skipped, plan.ScanId, Files: files.Length, Reason: "Only news feed files: news is read by the scans of the day's events files (see newsPrefix)."))
            : Finish(context, new FraudScanResult(
                ScanOutcome.Rejected, plan.ScanId, report.Folder, Files: files.Length, RejectedFiles: rejectedFiles,
                Reason: string.Join(" ", files.Where(f => !f.Accepted).Select(f => $"{BlobNames.ForLog(f.Blob)}: {f.Reason}"))));
    }

    /// <summary>What to resolve: inline events are first stored as files in the work container, so they scan like any file.</summary>
    static async Task<ResolveScanRequest> ResolveRequestAsync(TaskOrchestrationContext context, FraudScanInput input)
    {
        if (input.Events is not null)
        {
            IReadOnlyList<BlobRef> stored = await context.CallActivityAsync<IReadOnlyList<BlobRef>>(
                nameof(StoreInlineEventsActivity), new StoreInlineRequest(input.Events, input.News ?? []), TaskDefaults.Storage);
            return new ResolveScanRequest(stored[0].Container, stored.Select(b => b.Name).ToList(), ETag: null, Prefix: null, NewsPrefix: null);
        }

        IReadOnlyList<string> names = input.Name is not null ? [input.Name] : input.Blobs ?? [];
        return new ResolveScanRequest(input.Container, names, input.ETag, input.Prefix, input.NewsPrefix ?? DefaultNewsPrefix(input.Prefix ?? names.FirstOrDefault()));
    }

    /// <summary><c>news/{date}/</c> when <paramref name="path"/> starts with a <c>yyyy-MM-dd/</c> folder; null otherwise.</summary>
    public static string? DefaultNewsPrefix(string? path)
    {
        string? first = path?.Split('/', 2) is [string segment, _] ? segment : null;
        return first is not null && DateOnly.TryParseExact(first, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
            ? $"news/{first}/"
            : null;
    }

    /// <summary>One request per partition that holds events, naming the files whose partition it is (news files included).</summary>
    static List<ScanPartitionRequest> PartitionRequests(ScanPlan plan, string work, IReadOnlyList<PartitionedFile> files) =>
        Enumerable.Range(0, plan.Partitions)
            .Where(p => files.Any(f => f.Accepted && !f.News && f.Partitions.Contains(p)))
            .Select(p => new ScanPartitionRequest(work, p, files.Where(f => f.Accepted && f.Partitions.Contains(p)).Select(f => f.FileIndex).ToList()))
            .ToList();

    /// <summary>A fan-out of fan-outs: one sub-orchestration per <see cref="PartitionsPerGroup"/> partitions, with deterministic ids.</summary>
    static async Task<IReadOnlyList<PartitionScan>> ScanInGroupsAsync(TaskOrchestrationContext context, IReadOnlyList<ScanPartitionRequest> partitions)
    {
        IEnumerable<Task<IReadOnlyList<PartitionScan>>> groups = partitions.Chunk(PartitionsPerGroup).Select((group, index) =>
            context.CallSubOrchestratorAsync<IReadOnlyList<PartitionScan>>(
                nameof(ScanPartitionsOrchestrator),
                new ScanPartitionsInput(group),
                new SubOrchestrationOptions { InstanceId = $"{context.InstanceId}:scan:{index}", Retry = TaskDefaults.Storage.Retry }));
        IReadOnlyList<PartitionScan>[] results = await Task.WhenAll(groups);
        return results.SelectMany(r => r).ToList();
    }

    static string Describe(ResolveScanRequest request) =>
        request.Prefix is not null ? $"the prefix '{request.Prefix}'" : $"the names {string.Join(", ", request.Names.Take(5).Select(n => $"'{n}'"))}";

    static FraudScanResult Rejected(TaskOrchestrationContext context, string scanId, int files, int rejectedFiles, string reason) =>
        Finish(context, new FraudScanResult(ScanOutcome.Rejected, scanId, Files: files, RejectedFiles: rejectedFiles, Reason: reason));

    static FraudScanResult Finish(TaskOrchestrationContext context, FraudScanResult result)
    {
        context.SetCustomStatus(new Progress("done", 1, 1));
        return result;
    }
}

/// <summary>
/// Scans a slice of a large scan's partitions, one activity each; the parent runs one of these per
/// <see cref="FraudScanOrchestrator.PartitionsPerGroup"/> partitions, so neither history grows with the scan's size.
/// </summary>
public sealed class ScanPartitionsOrchestrator : TaskOrchestrator<ScanPartitionsInput, IReadOnlyList<PartitionScan>>
{
    public override async Task<IReadOnlyList<PartitionScan>> RunAsync(TaskOrchestrationContext context, ScanPartitionsInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        return await ScanAllAsync(context, input.Partitions);
    }

    /// <summary>One <see cref="ScanPartitionActivity"/> per partition, all at once; progress as they finish.</summary>
    public static async Task<IReadOnlyList<PartitionScan>> ScanAllAsync(TaskOrchestrationContext context, IReadOnlyList<ScanPartitionRequest> partitions)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(partitions);
        var pending = partitions.Select(p => context.CallActivityAsync<PartitionScan>(nameof(ScanPartitionActivity), p, TaskDefaults.Storage)).ToList();
        var done = new List<PartitionScan>(pending.Count);
        while (pending.Count > 0)
        {
            Task<PartitionScan> finished = await Task.WhenAny(pending);
            pending.Remove(finished);
            done.Add(await finished);
            context.SetCustomStatus(new Progress("scan", done.Count, partitions.Count));
        }

        return done.OrderBy(s => s.Partition).ToList();
    }
}

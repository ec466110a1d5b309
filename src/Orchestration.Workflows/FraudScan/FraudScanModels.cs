using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestration.Workflows.Durable;
using Orchestration.Workflows.Storage;

namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// Input of <c>fraud-scan</c>: exactly one of one blob (<see cref="Name"/>, optionally pinned to an <see cref="ETag"/>;
/// the shape the blob trigger passes), several (<see cref="Blobs"/>), every blob under a <see cref="Prefix"/>, or a small
/// inline batch (<see cref="Events"/>, optionally with <see cref="News"/>) for trying rules out.
/// </summary>
/// <param name="Container">Where the named blobs are; <c>market-events</c> by default.</param>
/// <param name="NewsPrefix">
/// News feed files to include, under <paramref name="Container"/>. Default: <c>news/{date}/</c> when the (first) name or
/// the prefix starts with a <c>yyyy-MM-dd/</c> folder, otherwise none.
/// </param>
public sealed record FraudScanInput(
    string Container = FraudScanOrchestrator.InputContainer,
    string? Name = null,
    string? ETag = null,
    IReadOnlyList<string>? Blobs = null,
    string? Prefix = null,
    string? NewsPrefix = null,
    IReadOnlyList<JsonElement>? Events = null,
    IReadOnlyList<JsonElement>? News = null) : IValidatableInput, IReadsContainer
{
    /// <summary>Most files one scan names explicitly; use a prefix for more.</summary>
    public const int MaxBlobs = 1000;

    /// <summary>Most inline events: inline batches are for trying rules, files are for real days.</summary>
    public const int MaxInlineEvents = 10_000;

    public IEnumerable<string> Validate()
    {
        if (!BlobRef.IsValidContainerName(Container))
        {
            yield return "container: 3 to 63 characters of lowercase letters, digits and single hyphens.";
        }

        int sources = (Name is null ? 0 : 1) + (Blobs is null ? 0 : 1) + (Prefix is null ? 0 : 1) + (Events is null ? 0 : 1);
        if (sources != 1)
        {
            yield return "name, blobs, prefix, events: give exactly one — a file, a list of files, a prefix (\"\" for the whole container) or inline events.";
            yield break;
        }

        foreach (string problem in NameProblems("name", Name is null ? [] : [Name]).Concat(NameProblems("blobs", Blobs ?? [])))
        {
            yield return problem;
        }

        if (Blobs is { Count: 0 or > MaxBlobs })
        {
            yield return $"blobs: 1 to {MaxBlobs} blob names; use prefix for more.";
        }

        if (ETag is not null && Name is null)
        {
            yield return "eTag: only with name (one file).";
        }

        if (Events is { Count: 0 or > MaxInlineEvents })
        {
            yield return $"events: 1 to {MaxInlineEvents} inline events; put larger days in a file.";
        }

        if (News is not null && Events is null)
        {
            yield return "news: inline news goes with inline events; for files use newsPrefix.";
        }

        if (Events is not null && NewsPrefix is not null)
        {
            yield return "newsPrefix: for files; inline events take inline news.";
        }

        foreach ((string field, string? value) in new[] { ("prefix", Prefix), ("newsPrefix", NewsPrefix) })
        {
            if (value is not null && (value.Length > BlobRef.MaxNameLength || value.Any(char.IsControl)))
            {
                yield return $"{field}: at most {BlobRef.MaxNameLength} characters, no control characters.";
            }
        }
    }

    static IEnumerable<string> NameProblems(string field, IEnumerable<string> names) =>
        names.Where(n => BlobNames.Problem(n) is not null)
            .Take(1)
            .Select(n => $"{field}: '{BlobNames.ForLog(n)}': {BlobNames.Problem(n)}; each name: {BlobNames.Rule}.");
}

[JsonConverter(typeof(JsonStringEnumConverter<ScanOutcome>))]
public enum ScanOutcome
{
    /// <summary>The report is written (it may hold no alerts).</summary>
    Reported,

    /// <summary>
    /// Nothing could be scanned: no file matched, or no events file was accepted and a file was rejected (with news beside
    /// it or not); <see cref="FraudScanResult.Reason"/> gives each rejected file's reason, <c>summary.json</c> every file's verdict.
    /// </summary>
    Rejected,

    /// <summary>Only news feed files, all accepted (e.g. a news upload triggered the scan): news is read by scans of the day's events.</summary>
    Skipped,
}

/// <summary>The result of <c>fraud-scan</c>.</summary>
/// <param name="Report">The report's folder, <c>fraud-reports/{scanId}/</c> (holding alerts.json, alerts.csv, summary.json).</param>
public sealed record FraudScanResult(
    ScanOutcome Outcome,
    string ScanId,
    string? Report = null,
    int Alerts = 0,
    long EventsScanned = 0,
    long BadLines = 0,
    int Files = 0,
    int RejectedFiles = 0,
    string? Reason = null);

/// <summary>Which blobs a scan reads: resolved once, at its start, to exact versions.</summary>
/// <param name="Container">Where the named blobs are.</param>
/// <param name="Names">Named files (events or news; the content decides).</param>
/// <param name="Prefix">Every blob under it.</param>
/// <param name="NewsPrefix">Every blob under it too (news feed files, by convention).</param>
public sealed record ResolveScanRequest(string Container, IReadOnlyList<string> Names, string? ETag, string? Prefix, string? NewsPrefix);

/// <summary>
/// The scan's plan: its id (a hash of every input version, so the same inputs give the same id and report), the files
/// with their sizes, and how many symbol partitions to cut them into (from the total size).
/// </summary>
public sealed record ScanPlan(string ScanId, IReadOnlyList<ScanFile> Files, int Partitions);

/// <summary>One input file, pinned to its version. Whether it holds events or news, its content decides.</summary>
public sealed record ScanFile(BlobRef Blob, long Bytes);

/// <summary>Inline events (and news) to store as JSON-lines files in the work container, so they scan like any file.</summary>
public sealed record StoreInlineRequest(IReadOnlyList<JsonElement> Events, IReadOnlyList<JsonElement> News);

/// <summary>
/// Cut file number <paramref name="FileIndex"/> into <paramref name="Partitions"/> symbol partitions in the scan instance's
/// work folder <paramref name="Work"/> (<see cref="ScanWork.Folder"/>).
/// </summary>
public sealed record PartitionRequest(string Work, int FileIndex, ScanFile File, int Partitions);

/// <summary>
/// What partitioning one file found: accepted (with its counts and the first bad lines) or rejected as a whole (empty,
/// not events; <paramref name="Code"/> says which); whether it held news rather than events; which partitions received data.
/// </summary>
public sealed record PartitionedFile(
    int FileIndex,
    string Blob,
    bool Accepted,
    string? Reason,
    bool News,
    long Lines,
    long Records,
    long BadLines,
    IReadOnlyList<BadLine> FirstBadLines,
    IReadOnlyList<int> Partitions,
    EventFileRejection? Code = null);

/// <summary>Scan partition <paramref name="Partition"/>: its blobs from <paramref name="FileIndexes"/> in work folder <paramref name="Work"/>.</summary>
public sealed record ScanPartitionRequest(string Work, int Partition, IReadOnlyList<int> FileIndexes);

/// <summary>What one partition's scan found; its alerts are in the work container, read by the report.</summary>
public sealed record PartitionScan(int Partition, int Symbols, long Events, int Alerts);

/// <summary>A slice of a large scan's partitions, run as a sub-orchestration (a fan-out of fan-outs).</summary>
public sealed record ScanPartitionsInput(IReadOnlyList<ScanPartitionRequest> Partitions);

/// <summary>Merge every partition's alerts (from work folder <paramref name="Work"/>) into the ranked report.</summary>
/// <param name="SummaryOnly">A rejected scan: write only <c>summary.json</c> (each file's verdict and reason), no alerts files.</param>
public sealed record ReportRequest(ScanPlan Plan, IReadOnlyList<PartitionedFile> Files, IReadOnlyList<PartitionScan> Partitions, ScanTimings Timings, string Work, bool SummaryOnly = false);

/// <summary>Orchestration time at each stage's end (deterministic, replay-safe).</summary>
public sealed record ScanTimings(DateTime Started, DateTime Partitioned, DateTime Scanned);

/// <summary>What the report holds, in short.</summary>
public sealed record ReportWritten(string Folder, int Alerts, long EventsScanned);

using System.Globalization;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.DurableTask;
using Orchestration.Workflows.Durable;
using Orchestration.Workflows.Storage;

namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// Merges every partition's alerts, deduplicates and ranks them (<see cref="AlertRanking"/>) and writes
/// <c>fraud-reports/{scanId}/alerts.json</c>, <c>alerts.csv</c> (one row per alert, ranked) and <c>summary.json</c>
/// (files with their verdicts and first bad lines, counts per rule, events scanned, timings). The alerts of the same scan
/// are the same bytes every time; the summary's timings are the run's.
/// </summary>
public sealed class WriteFraudReportActivity(BlobServiceClient blobs, FraudScanDefinition definition) : TaskActivity<ReportRequest, ReportWritten>
{
    public override async Task<ReportWritten> RunAsync(TaskActivityContext context, ReportRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        string scanId = input.Plan.ScanId;
        BlobContainerClient work = blobs.GetBlobContainerClient(definition.Containers.Work);
        BlobContainerClient reports = blobs.GetBlobContainerClient(definition.Containers.Reports);
        string name = string.Empty;
        try
        {
            var alerts = new List<Alert>();
            foreach (PartitionScan partition in input.Partitions)
            {
                name = ScanWork.AlertsBlob(input.Work, partition.Partition);
                BinaryData content = (await work.GetBlobClient(name).DownloadContentAsync()).Value.Content;
                alerts.AddRange(content.ToObjectFromJson<List<Alert>>(DurableJson.Options) ?? []);
            }

            IReadOnlyList<Alert> ranked = AlertRanking.Rank(alerts);
            await reports.CreateIfNotExistsAsync();
            ScanSummary summary = ScanSummary.From(input, ranked, context.InstanceId);
            if (input.SummaryOnly)
            {
                // A rejected scan: the files' verdicts and reasons, and no alerts files that could read as "nothing found".
                name = $"{scanId}/summary.json";
                await BlobJson.UploadAsync(reports.GetBlobClient(name), summary);
                return new ReportWritten($"{reports.Name}/{scanId}/", 0, 0);
            }

            name = $"{scanId}/alerts.json";
            await BlobJson.UploadAsync(reports.GetBlobClient(name), ranked);
            name = $"{scanId}/alerts.csv";
            await reports.GetBlobClient(name).UploadAsync(
                BinaryData.FromString(AlertsCsv.Write(ranked)),
                new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "text/csv; charset=utf-8" } });
            name = $"{scanId}/summary.json";
            await BlobJson.UploadAsync(reports.GetBlobClient(name), summary);
            return new ReportWritten($"{reports.Name}/{scanId}/", ranked.Count, summary.EventsScanned);
        }
        catch (RequestFailedException ex) when (StorageErrors.IsPermanent(ex))
        {
            throw StorageErrors.Explain(ex, name.Contains("/alerts/", StringComparison.Ordinal) ? work.Name : reports.Name, name);
        }
    }
}

/// <summary><c>summary.json</c>: what was scanned, what was refused, what was found, and when.</summary>
public sealed record ScanSummary(
    string ScanId,
    string Instance,
    IReadOnlyList<PartitionedFile> Files,
    long EventsScanned,
    int Symbols,
    long BadLines,
    int RejectedFiles,
    int Alerts,
    IReadOnlyDictionary<string, int> AlertsByRule,
    int Partitions,
    ScanTimings Timings)
{
    public static ScanSummary From(ReportRequest request, IReadOnlyList<Alert> ranked, string instance)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(ranked);
        return new ScanSummary(
            request.Plan.ScanId,
            instance,
            request.Files,
            request.Partitions.Sum(p => p.Events),
            request.Partitions.Sum(p => p.Symbols),
            request.Files.Sum(f => f.BadLines),
            request.Files.Count(f => !f.Accepted),
            ranked.Count,
            ranked.GroupBy(a => a.Rule, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            request.Plan.Partitions,
            request.Timings);
    }
}

/// <summary><c>alerts.csv</c>: a header, then one RFC 4180 row per alert in rank order; lists joined with <c>;</c>.</summary>
public static class AlertsCsv
{
    public const string Header = "rank,rule,symbol,score,from,to,accounts,eventIds,summary";

    public static string Write(IReadOnlyList<Alert> ranked)
    {
        ArgumentNullException.ThrowIfNull(ranked);
        var csv = new StringBuilder(Header).Append('\n');
        for (int i = 0; i < ranked.Count; i++)
        {
            Alert a = ranked[i];
            csv.Append(i + 1).Append(',')
                .Append(Field(a.Rule)).Append(',')
                .Append(Field(a.Symbol)).Append(',')
                .Append(a.Score.ToString("0.##", CultureInfo.InvariantCulture)).Append(',')
                .Append(a.From.ToString("O", CultureInfo.InvariantCulture)).Append(',')
                .Append(a.To.ToString("O", CultureInfo.InvariantCulture)).Append(',')
                .Append(Field(string.Join(';', a.Accounts))).Append(',')
                .Append(Field(string.Join(';', a.EventIds))).Append(',')
                .Append(Field(a.Summary)).Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>Quoted (quotes doubled) when it holds a comma, quote or line break.</summary>
    static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}

namespace Orchestration.Workflows.FraudScan;

/// <summary>Blob names in the work container (<c>fraud-work</c>) for one scan: everything under <c>{scanId}/</c>, deleted when the report is written.</summary>
public static class ScanWork
{
    /// <summary>Partition <paramref name="partition"/> of input file <paramref name="fileIndex"/>.</summary>
    public static string PartitionBlob(string scanId, int fileIndex, int partition) => $"{scanId}/files/{fileIndex:D5}/p{partition:D5}.bin";

    /// <summary>The alerts one partition's scan raised (a JSON array), for the report to merge.</summary>
    public static string AlertsBlob(string scanId, int partition) => $"{scanId}/alerts/p{partition:D5}.json";
}

using System.Security.Cryptography;
using System.Text;

namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// Blob names in the work container (<c>fraud-work</c>) for one scan instance: everything under its work folder
/// (<see cref="Folder"/>), deleted when the report is written.
/// </summary>
public static class ScanWork
{
    /// <summary>
    /// The work folder of one instance's scan: <c>{scanId}/{32 hex digits of SHA-256 of the instance id}</c>. Two instances
    /// scanning the same inputs (a blob trigger and a request by name) have the same scan id but never share a folder, so
    /// neither deletes or overwrites the other's partitions; the instance id (a caller's text) is hashed, never used as a name.
    /// </summary>
    public static string Folder(string scanId, string instanceId) =>
        $"{scanId}/{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(instanceId)).AsSpan(0, 16))}";

    /// <summary>Partition <paramref name="partition"/> of input file <paramref name="fileIndex"/>, in work folder <paramref name="work"/>.</summary>
    public static string PartitionBlob(string work, int fileIndex, int partition) => $"{work}/files/{fileIndex:D5}/p{partition:D5}.bin";

    /// <summary>The alerts one partition's scan raised (a JSON array), for the report to merge.</summary>
    public static string AlertsBlob(string work, int partition) => $"{work}/alerts/p{partition:D5}.json";
}

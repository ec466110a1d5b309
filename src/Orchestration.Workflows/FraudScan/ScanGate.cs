namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// At most <see cref="ConcurrencyGate.Slots"/> partition scans at once in this process. A scan holds its partition's
/// events in memory (every symbol's day, sorted) and is CPU-bound, so running every partition of a scan at once — the
/// engine hands them all out together — multiplies the memory without finishing sooner. Scans queue here before reading
/// their partition. Setting <c>FraudScan:MaxConcurrentScans</c>; default one per core.
/// </summary>
public sealed class ScanGate(int slots) : ConcurrencyGate(slots)
{
    public const string Setting = "FraudScan:MaxConcurrentScans";
}

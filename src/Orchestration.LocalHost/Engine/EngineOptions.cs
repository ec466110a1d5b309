using System.ComponentModel.DataAnnotations;

namespace Orchestration.LocalHost.Engine;

public enum EngineBackend
{
    /// <summary>AzureStorage when a storage account is configured, otherwise InMemory.</summary>
    Auto,

    /// <summary>DurableTask.AzureStorage, the backend Durable Functions uses by default: state survives restarts.</summary>
    AzureStorage,

    /// <summary>Everything in this process: fast, gone when it stops. For tests and quick tries.</summary>
    InMemory,
}

/// <summary>The Durable Task engine of the local host (section <c>Durable</c>).</summary>
public sealed class EngineOptions
{
    public const string Section = "Durable";

    public EngineBackend Backend { get; set; } = EngineBackend.Auto;

    /// <summary>Task hub: its queues, tables and lease blobs are named after it. Letters and digits, 3–45 characters.</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,44}$", ErrorMessage = "Durable:TaskHub must be 3 to 45 letters and digits, starting with a letter.")]
    public string TaskHub { get; set; } = "OrchestrationHub";

    /// <summary>Control-queue partitions: how many hosts can share orchestrations (the Functions default is 4).</summary>
    [Range(1, 16)]
    public int PartitionCount { get; set; } = 4;

    [Range(1, 10_000)]
    public int MaxConcurrentActivities { get; set; } = 100;

    [Range(1, 10_000)]
    public int MaxConcurrentOrchestrations { get; set; } = 100;

    /// <summary>Longest wait between polls of an idle queue. The library's default (30 s) makes a quiet host slow to react.</summary>
    [Range(0.1, 60)]
    public double MaxQueuePollingIntervalSeconds { get; set; } = 1;

    /// <summary>
    /// How long a dequeued work item stays invisible. Short, so a crashed host's work is picked up soon; long-running
    /// activities keep theirs alive because the engine renews it every half of this.
    /// </summary>
    [Range(5, 600)]
    public int WorkItemVisibilityTimeoutSeconds { get; set; } = 30;

    /// <summary>This host's name in partition leases. Stable across restarts, so a restarted host takes its partitions straight back.
    /// Two hosts sharing a task hub must have different ids.</summary>
    public string? WorkerId { get; set; }

    /// <summary>
    /// Keep an orchestration's history in memory between its episodes instead of re-reading it from the History table each
    /// time (Durable Functions' <c>extendedSessionsEnabled</c>). AzureStorage backend only.
    /// </summary>
    public bool ExtendedSessions { get; set; } = true;

    /// <summary>How long an idle orchestration keeps its session (and history) in memory, waiting for its next message.</summary>
    [Range(1, 300)]
    public int ExtendedSessionIdleTimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// The longest a stop of the engine waits for the backend. DurableTask.AzureStorage alone may wait 10 minutes (storage
    /// gone or busy); past this bound the host stops anyway and the partitions' leases lapse by themselves, so the next
    /// start (or another host) takes them over.
    /// </summary>
    [Range(1, 300)]
    public int StopTimeoutSeconds { get; set; } = 5;

    /// <summary>Partition ownership in the partitions table (the current default of DurableTask.AzureStorage); false uses the
    /// older blob leases.</summary>
    public bool UseTablePartitionManagement { get; set; } = true;
}

using System.ComponentModel.DataAnnotations;

namespace Orchestration.LocalHost.Triggers;

/// <summary>Section <c>BlobTriggers</c>: how the local host's blob watcher polls and when it gives up on a blob.</summary>
public sealed class BlobWatcherOptions
{
    public const string Section = "BlobTriggers";

    /// <summary>How often each watched container is listed. An upload starts its orchestration within about this long.</summary>
    [Range(0.05, 60)]
    public double PollIntervalSeconds { get; set; } = 1;

    /// <summary>Attempts before a blob is parked as poison (the Functions host's default is 5).</summary>
    [Range(1, 100)]
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>Wait before retrying a failed blob; doubles with each failure.</summary>
    [Range(0, 600)]
    public double RetryDelaySeconds { get; set; } = 1;

    /// <summary>Identifies this app's receipts in <c>azure-webjobs-hosts/blobreceipts/{HostId}/...</c>; hosts sharing a task hub share it.</summary>
    [RegularExpression("^[a-z0-9-]{1,32}$", ErrorMessage = "BlobTriggers:HostId must be 1 to 32 lowercase letters, digits or hyphens.")]
    public string HostId { get; set; } = "orchestration";
}

using System.Globalization;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Orchestration.Workflows.Storage;

namespace Orchestration.LocalHost.Triggers;

/// <summary>What a receipt says about one blob version.</summary>
/// <param name="Status"><see cref="BlobReceipts.Started"/>, <see cref="BlobReceipts.Poisoned"/> or null (not settled yet).</param>
/// <param name="Failures">Failed attempts so far.</param>
/// <param name="Reason">The last failure, ASCII only.</param>
/// <param name="RetryAfter">No attempt before this time (the back-off of the last failure).</param>
/// <param name="InstanceId">The instance a successful attempt started.</param>
internal sealed record BlobReceipt(string? Status, int Failures, string? Reason, DateTimeOffset? RetryAfter, string? InstanceId)
{
    public static BlobReceipt Empty { get; } = new(null, 0, null, null, null);

    /// <summary>Started or Poisoned: nothing more will be done for this blob version.</summary>
    public bool IsSettled => Status is BlobReceipts.Started or BlobReceipts.Poisoned;
}

/// <summary>
/// Receipts of the blob watcher, laid out like the Functions host's but keyed by a hash:
/// <c>azure-webjobs-hosts/blobreceipts/{hostId}/{function}/{etag without quotes}/{SHA-256 of container \n name}</c>.
/// No part of a blob's name reaches the receipt's name, so no name (<c>..</c>, <c>\</c>, a leading <c>/</c>, percent
/// signs) can make a receipt, its lease or its metadata touch any other blob. The receipt's content is JSON
/// <c>{"container":..,"name":..}</c> (the original blob, for people reading the container); its metadata holds
/// <c>status</c> (Started | Poisoned), <c>failures</c>, <c>reason</c> (last error, ASCII, at most 1 KB),
/// <c>retryafter</c> (ISO 8601) and <c>instanceid</c>. Writers hold a blob lease on the receipt, so two hosts watching
/// one account never handle the same blob version at the same time.
/// </summary>
internal sealed class BlobReceipts(BlobContainerClient container, string hostId)
{
    public const string ContainerName = "azure-webjobs-hosts";
    public const string Started = "Started";
    public const string Poisoned = "Poisoned";

    /// <summary>Long enough for a start (bounded shorter by the watcher), short enough that a crashed host's claim soon lapses.</summary>
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(60);

    /// <summary>Metadata values travel as HTTP headers: keep the reason well below the 8 KB metadata limit.</summary>
    public const int MaxReasonLength = 1024;

    const string StatusKey = "status";
    const string FailuresKey = "failures";
    const string ReasonKey = "reason";
    const string RetryAfterKey = "retryafter";
    const string InstanceIdKey = "instanceid";

    public BlobContainerClient Container => container;

    public BlobClient For(string functionName, string blobContainer, string blobName, string etag) =>
        container.GetBlobClient(ReceiptName(hostId, functionName, etag, blobContainer, blobName));

    /// <summary>
    /// The receipt's blob name: <c>blobreceipts/{hostId}/{function}/{etag}/{hex SHA-256 of "{container}\n{name}"}</c>. The
    /// host id is validated, function names are constants and ETags come from storage; the blob's own name only enters
    /// through the hash (no container name holds a newline, so the pair is unambiguous).
    /// </summary>
    public static string ReceiptName(string hostId, string functionName, string etag, string blobContainer, string blobName)
    {
        ArgumentNullException.ThrowIfNull(etag);
        ArgumentNullException.ThrowIfNull(blobContainer);
        ArgumentNullException.ThrowIfNull(blobName);
        return $"blobreceipts/{hostId}/{functionName}/{etag.Trim('"')}/{BlobNames.Hash($"{blobContainer}\n{blobName}")}";
    }

    /// <summary>The receipt, or null when there is none yet.</summary>
    public static async Task<BlobReceipt?> ReadAsync(BlobClient receipt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        try
        {
            BlobProperties properties = (await receipt.GetPropertiesAsync(conditions: null, cancellationToken)).Value;
            return Parse(properties.Metadata);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Creates the receipt (content: which blob it is for) unless it exists; losing the race to another host is fine.</summary>
    public static async Task CreateAsync(BlobClient receipt, string blobContainer, string blobName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        try
        {
            await receipt.UploadAsync(
                BinaryData.FromObjectAsJson(new Dictionary<string, string> { ["container"] = blobContainer, ["name"] = blobName }),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } },
                cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // BlobAlreadyExists / ConditionNotMet / leased: someone else created it first.
        }
    }

    /// <summary>Leases the receipt; null when another host holds it.</summary>
    public static async Task<BlobLeaseClient?> TryLeaseAsync(BlobClient receipt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        BlobLeaseClient lease = receipt.GetBlobLeaseClient(Guid.NewGuid().ToString());
        try
        {
            await lease.AcquireAsync(LeaseDuration, conditions: null, cancellationToken);
            return lease;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // LeaseAlreadyPresent: another host is handling this blob version right now.
            return null;
        }
    }

    /// <summary>Writes the receipt's state; the caller holds <paramref name="leaseId"/>.</summary>
    public static Task WriteAsync(BlobClient receipt, string leaseId, BlobReceipt state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        ArgumentNullException.ThrowIfNull(state);
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [FailuresKey] = state.Failures.ToString(CultureInfo.InvariantCulture),
        };
        if (state.Status is not null)
        {
            metadata[StatusKey] = state.Status;
        }

        if (state.Reason is not null)
        {
            metadata[ReasonKey] = Sanitize(state.Reason);
        }

        if (state.RetryAfter is { } retryAfter)
        {
            metadata[RetryAfterKey] = retryAfter.UtcDateTime.ToString("o", CultureInfo.InvariantCulture);
        }

        if (state.InstanceId is not null)
        {
            metadata[InstanceIdKey] = Sanitize(state.InstanceId);
        }

        return receipt.SetMetadataAsync(metadata, new BlobRequestConditions { LeaseId = leaseId }, cancellationToken);
    }

    public static BlobReceipt Parse(IDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var values = new Dictionary<string, string>(metadata, StringComparer.OrdinalIgnoreCase);
        return new BlobReceipt(
            values.GetValueOrDefault(StatusKey),
            int.TryParse(values.GetValueOrDefault(FailuresKey), NumberStyles.None, CultureInfo.InvariantCulture, out int failures) ? failures : 0,
            values.GetValueOrDefault(ReasonKey),
            DateTimeOffset.TryParse(values.GetValueOrDefault(RetryAfterKey), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset at) ? at : null,
            values.GetValueOrDefault(InstanceIdKey));
    }

    /// <summary>Metadata must be printable ASCII: everything else becomes '?', and the text is cut to 1 KB.</summary>
    public static string Sanitize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(Math.Min(text.Length, MaxReasonLength));
        foreach (char c in text)
        {
            if (builder.Length == MaxReasonLength)
            {
                builder[^3] = builder[^2] = builder[^1] = '.';
                break;
            }

            builder.Append(c is >= ' ' and <= '~' ? c : c is '\r' or '\n' or '\t' ? ' ' : '?');
        }

        return builder.ToString().Trim();
    }
}

using System.Text.Json.Serialization;
using Orchestration.Workflows.Durable;
using Orchestration.Workflows.Imaging;
using Orchestration.Workflows.Storage;

namespace Orchestration.Workflows.ImagePipeline;

/// <summary>
/// Input of <c>image-pipeline</c>: one blob (<see cref="Container"/> + <see cref="Name"/>, optionally pinned to an
/// <see cref="ETag"/>) or a batch (<see cref="Container"/> + <see cref="Prefix"/>: every blob under it; <c>""</c> for the
/// whole container). Shaped like <see cref="BlobRef"/> so the blob trigger's input deserializes into it unchanged.
/// </summary>
/// <param name="Cursor">Set by a batch itself when it continues with the next page; leave it out.</param>
public sealed record ImagePipelineInput(string Container, string? Name = null, string? ETag = null, string? Prefix = null, BatchCursor? Cursor = null) : IValidatableInput, IReadsContainer
{
    /// <summary>Whether this is a batch (a prefix) rather than one blob.</summary>
    [JsonIgnore]
    public bool IsBatch => Prefix is not null;

    /// <summary>The blob of a single-image run.</summary>
    public BlobRef ToBlobRef() => new(Container, Name ?? throw new InvalidOperationException("A batch input names no single blob."), ETag);

    public static ImagePipelineInput FromBlob(BlobRef blob)
    {
        ArgumentNullException.ThrowIfNull(blob);
        return new ImagePipelineInput(blob.Container, blob.Name, blob.ETag);
    }

    public IEnumerable<string> Validate()
    {
        if (!BlobRef.IsValidContainerName(Container))
        {
            yield return "container: required; 3 to 63 characters of lowercase letters, digits and single hyphens.";
        }

        if ((Name is null) == (Prefix is null))
        {
            yield return "name, prefix: give exactly one — name for one image, prefix for a batch (\"\" for the whole container).";
            yield break;
        }

        if (Name is not null && BlobNames.Problem(Name) is { } problem)
        {
            yield return $"name: {problem}; {BlobNames.Rule}.";
        }

        if (Prefix is not null && (Prefix.Length > BlobRef.MaxNameLength || Prefix.Any(char.IsControl)))
        {
            yield return $"prefix: at most {BlobRef.MaxNameLength} characters, no control characters.";
        }

        if (Prefix is not null && ETag is not null)
        {
            yield return "etag: only for a single image (name), not for a prefix.";
        }

        if (Name is not null && Cursor is not null)
        {
            yield return "cursor: only a batch (prefix) continues from a cursor; leave it out.";
        }
    }
}

[JsonConverter(typeof(JsonStringEnumConverter<ImageOutcome>))]
public enum ImageOutcome
{
    /// <summary>Variants and manifest written; the source is marked processed.</summary>
    Processed,

    /// <summary>Copied to the rejected container with a reason; the source is marked rejected.</summary>
    Rejected,

    /// <summary>The source version already carries this pipeline's mark (e.g. the same blob started again over HTTP): nothing written.</summary>
    AlreadyDone,

    /// <summary>A batch: see the counts.</summary>
    Batch,
}

/// <summary>
/// The result of <c>image-pipeline</c>. One image: <see cref="Outcome"/>, and the manifest and variant count or the
/// rejection. A batch: the counts and the listing pages it took (a failed child counts in <see cref="Failed"/>; the
/// batch itself completes).
/// </summary>
public sealed record ImagePipelineResult(
    ImageOutcome Outcome,
    string? Source = null,
    string? Manifest = null,
    int Variants = 0,
    RejectionCode? Code = null,
    string? Reason = null,
    string? RejectedTo = null,
    int Total = 0,
    int Processed = 0,
    int Rejected = 0,
    int Failed = 0,
    int Pages = 0);

/// <summary>
/// Where a batch stands when it continues as new with the next page: the listing's continuation token, the pages done,
/// and the blobs listed and their outcomes so far.
/// </summary>
public sealed record BatchCursor(string? ContinuationToken, int Pages, int Total, int Processed, int Rejected, int Failed)
{
    public static BatchCursor Start { get; } = new(null, 0, 0, 0, 0, 0);

    /// <summary>Children finished, whatever their outcome.</summary>
    [JsonIgnore]
    public int Done => Processed + Rejected + Failed;
}

/// <summary>What <see cref="InspectImageActivity"/> found: the version read and its verdict (or that it was already done).</summary>
/// <param name="ETag">The version inspected; later steps read and mark exactly this version.</param>
/// <param name="Verdict">Accepted or rejected, from the bytes; null when <paramref name="Mark"/> says it was already done.</param>
/// <param name="Mark">The <see cref="MarkSourceDoneActivity.StatusKey"/> tag already on the blob, when there is one.</param>
public sealed record SourceInspection(string ETag, Inspection? Verdict, string? Mark = null);

/// <summary>Render every profile × format of <paramref name="Source"/> under <c>{output}/{Stem}/</c>.</summary>
public sealed record RenderRequest(BlobRef Source, Inspection.Accepted Inspection, string Stem);

/// <summary>
/// What <see cref="RenderVariantsActivity"/> did: every variant written, or — when the pixel data turned out damaged past
/// what inspection checked — nothing written and <see cref="Rejection"/> (code <see cref="RejectionCode.Corrupt"/>) for the
/// orchestrator's reject path.
/// </summary>
public sealed record RenderResult(IReadOnlyList<VariantInfo> Variants, Inspection.Rejected? Rejection = null);

/// <summary>One variant written: what it is and where.</summary>
public sealed record VariantInfo(string Profile, ImageFormat Format, int Width, int Height, long Bytes, string Sha256, string Blob);

/// <summary>When the run started, inspection ended and rendering ended (orchestration time: deterministic, replay-safe).</summary>
public sealed record ManifestTimings(DateTime Started, DateTime Inspected, DateTime Rendered);

/// <summary>The manifest clients read: <c>{output}/{stem}/manifest.json</c>.</summary>
public sealed record Manifest(BlobRef Source, string Stem, Inspection.Accepted Inspection, IReadOnlyList<VariantInfo> Variants, ManifestTimings Timings, string Instance);

/// <summary>Copy <paramref name="Source"/> to the rejected container with a reason file.</summary>
public sealed record RejectRequest(BlobRef Source, Inspection.Rejected Inspection);

/// <summary>What <c>{rejected}/{name}.reason.json</c> says.</summary>
public sealed record RejectionReason(RejectionCode Code, string Reason, string Allowed, string Container, string Name, string? ETag, DateTime At, string Instance);

/// <summary>Mark the source (exactly this version) done with <paramref name="Outcome"/>.</summary>
public sealed record MarkRequest(BlobRef Source, ImageOutcome Outcome);

/// <summary>List one page of the blobs under a prefix for a batch, from <paramref name="ContinuationToken"/> (null: the first page).</summary>
public sealed record ListImagesRequest(string Container, string Prefix, string? ContinuationToken = null);

/// <summary>One page of a batch's blobs and the token of the next page (null after the last).</summary>
public sealed record ImageListing(IReadOnlyList<BlobRef> Blobs, string? ContinuationToken);

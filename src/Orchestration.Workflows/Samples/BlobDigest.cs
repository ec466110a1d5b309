using System.Security.Cryptography;
using System.Text.Json.Serialization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.DurableTask;
using Orchestration.Workflows.Durable;
using Orchestration.Workflows.ImagePipeline;
using Orchestration.Workflows.Imaging;
using Orchestration.Workflows.Storage;

namespace Orchestration.Workflows.Samples;

/// <summary>What a digest found: the blob, the version read (ETag), its size and SHA-256.</summary>
public sealed record BlobDigest(string Container, string Name, string ETag, long Length, string Sha256);

/// <summary>
/// The result of <c>blob-digest</c>: the digest and where it was written; or, for a name that breaks the name rule, no
/// digest, the reason, and where the reason file was written.
/// </summary>
public sealed record BlobDigestResult(BlobDigest? Digest, string Output, BlobDigestOutcome Outcome = BlobDigestOutcome.Digested, string? Reason = null);

[JsonConverter(typeof(JsonStringEnumConverter<BlobDigestOutcome>))]
public enum BlobDigestOutcome
{
    /// <summary>The digest is written to <c>samples-out/{name}.sha256.json</c>.</summary>
    Digested,

    /// <summary>
    /// The name breaks the name rule (<see cref="BlobNames.Problem"/>): the blob is not read; the reason is written to
    /// <c>samples-out/~name/{SHA-256 of the name}.reason.json</c>, holding the original name.
    /// </summary>
    Rejected,
}

/// <summary>
/// The blob-triggered sample: a file dropped into <c>samples-in</c> gets its SHA-256 computed (streamed, never loaded
/// whole) and written to <c>samples-out/{name}.sha256.json</c>. The orchestration passes a blob reference, not bytes.
/// A name that breaks the name rule (<see cref="BlobNames.Problem"/>) is never read: the run completes
/// <see cref="BlobDigestOutcome.Rejected"/> with a reason file (<see cref="RejectBlobDigestActivity"/>).
/// </summary>
public sealed class BlobDigestOrchestrator : TaskOrchestrator<BlobRef, BlobDigestResult>
{
    public const string InputContainer = "samples-in";
    public const string OutputContainer = "samples-out";

    public override async Task<BlobDigestResult> RunAsync(TaskOrchestrationContext context, BlobRef input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        if (BlobNames.Refusal(input.Name) is { } reason)
        {
            context.SetCustomStatus(new Progress("reject", 0, 1));
            string reasonAt = await context.CallActivityAsync<string>(nameof(RejectBlobDigestActivity), input, TaskDefaults.Storage);
            context.SetCustomStatus(new Progress("done", 1, 1));
            return new BlobDigestResult(null, reasonAt, BlobDigestOutcome.Rejected, reason);
        }

        context.SetCustomStatus(new Progress("digest", 0, 2));
        BlobDigest digest = await context.CallActivityAsync<BlobDigest>(nameof(ComputeBlobDigestActivity), input, TaskDefaults.Storage);
        context.SetCustomStatus(new Progress("write", 1, 2));
        string output = await context.CallActivityAsync<string>(nameof(WriteBlobDigestActivity), digest, TaskDefaults.Storage);
        context.SetCustomStatus(new Progress("done", 2, 2));
        return new BlobDigestResult(digest, output);
    }
}

/// <summary>Streams a blob through SHA-256. Reads the exact version that was triggered when an ETag is given.</summary>
public sealed class ComputeBlobDigestActivity(BlobServiceClient blobs) : TaskActivity<BlobRef, BlobDigest>
{
    public override async Task<BlobDigest> RunAsync(TaskActivityContext context, BlobRef input)
    {
        ArgumentNullException.ThrowIfNull(input);
        BlobClient blob = blobs.GetBlobContainerClient(input.Container).Open(input.Name);
        var options = new BlobDownloadOptions
        {
            Conditions = input.VersionConditions(),
        };

        try
        {
            // One streamed download: its ETag is the version whose bytes are hashed, whatever happens to the blob meanwhile.
            BlobDownloadStreamingResult download = (await blob.DownloadStreamingAsync(options)).Value;
            await using Stream stream = download.Content;
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            byte[] buffer = new byte[81920];
            long length = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                sha.AppendData(buffer, 0, read);
                length += read;
            }

            return new BlobDigest(input.Container, input.Name, download.Details.ETag.ToString(), length, Convert.ToHexStringLower(sha.GetHashAndReset()));
        }
        catch (RequestFailedException ex) when (StorageErrors.IsPermanent(ex))
        {
            throw StorageErrors.Explain(ex, input.Container, input.Name);
        }
    }
}

/// <summary>Writes the digest under a deterministic name, so a re-run overwrites instead of duplicating.</summary>
public sealed class WriteBlobDigestActivity(BlobServiceClient blobs) : TaskActivity<BlobDigest, string>
{
    public override async Task<string> RunAsync(TaskActivityContext context, BlobDigest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return await WriteAsync(blobs, OutputName(input.Name), input);
    }

    /// <summary>Writes <paramref name="value"/> as JSON to <c>samples-out/{name}</c> (overwriting); returns its path.</summary>
    internal static async Task<string> WriteAsync<T>(BlobServiceClient blobs, string name, T value)
    {
        BlobContainerClient container = blobs.GetBlobContainerClient(BlobDigestOrchestrator.OutputContainer);
        try
        {
            await container.CreateIfNotExistsAsync();
            await BlobJson.UploadAsync(container.Open(name), value);
        }
        catch (RequestFailedException ex) when (StorageErrors.IsPermanent(ex))
        {
            throw StorageErrors.Explain(ex, BlobDigestOrchestrator.OutputContainer, name);
        }

        return $"{BlobDigestOrchestrator.OutputContainer}/{name}";
    }

    /// <summary>
    /// <c>{name}.sha256.json</c>; for names so long that the suffix would pass Azure's 1,024-character limit,
    /// <c>~long/{SHA-256 of the name}.sha256.json</c> (the full name is inside the file).
    /// </summary>
    public static string OutputName(string sourceName) => BlobNames.WithSuffix(sourceName, ".sha256.json");
}

/// <summary>
/// A blob whose name breaks the name rule: writes <c>samples-out/~name/{SHA-256 of the name}.reason.json</c> (code
/// <c>BadName</c>, the reason, the rule, and the original name as data) without addressing the blob. Overwrites, so a
/// retry is harmless. Returns the reason file's path.
/// </summary>
public sealed class RejectBlobDigestActivity(BlobServiceClient blobs) : TaskActivity<BlobRef, string>
{
    public override async Task<string> RunAsync(TaskActivityContext context, BlobRef input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        string reason = BlobNames.Refusal(input.Name) ?? throw new ArgumentException($"'{BlobNames.ForLog(input.Name)}' keeps the name rule: digest it instead.", nameof(input));
        return await WriteBlobDigestActivity.WriteAsync(
            blobs,
            BlobNames.BadNameReasonName(input.Name),
            new RejectionReason(RejectionCode.BadName, reason, BlobNames.Rule, input.Container, input.Name, input.ETag, DateTime.UtcNow, context.InstanceId));
    }
}

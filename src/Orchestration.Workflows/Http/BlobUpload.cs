using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Orchestration.Workflows.Storage;

namespace Orchestration.Workflows.Http;

/// <summary>
/// A workflow that also takes a file as the request body of <c>POST /api/workflows/{Workflow}?name=..</c>: the bytes are
/// stored as <c>{Container}/{name}</c> and the workflow starts for that blob version under the id its blob trigger would
/// use, so the trigger then finds the run instead of starting another.
/// </summary>
/// <param name="MaxBytes">Larger bodies are refused (413) before anything is committed.</param>
public sealed record UploadPolicy(string Workflow, string Container, long MaxBytes);

/// <summary>
/// Streams a request body into a block blob: blocks are staged as they arrive (memory stays at one block whatever the
/// size) and committed only when the whole body is in and within the limit. The content's SHA-256 is kept in the blob's
/// metadata; the same bytes sent again under the same name commit nothing and resolve to the stored version — so a
/// client's retry of the same upload is the same run, while changed bytes are a new version and a new run.
/// </summary>
/// <param name="blobs">Resolved on first upload, so a host without storage can still serve the rest of the API.</param>
public sealed class BlobUpload(Func<BlobServiceClient> blobs)
{
    /// <summary>Metadata key holding the lowercase hex SHA-256 of the content.</summary>
    public const string HashKey = "sha256";

    /// <summary>Bytes staged per block.</summary>
    public const int BlockBytes = 4 * 1024 * 1024;

    /// <summary>The stored version (or a problem saying what to fix); <see cref="Stored"/> is false when the same bytes were already there.</summary>
    public sealed record Result(BlobRef? Blob, bool Stored, IResult? Problem);

    /// <summary>Whether the request carries a file rather than JSON: <c>Content-Type: application/octet-stream</c> or <c>image/*</c>.</summary>
    public static bool IsUpload(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return MediaTypeHeaderValue.TryParse(request.ContentType, out MediaTypeHeaderValue? type)
            && (type.MediaType.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase)
                || type.MediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Why <paramref name="name"/> cannot name an uploaded blob, or null: the one name rule the triggers apply too
    /// (<see cref="BlobNames.Problem"/>): no empty, <c>.</c> or <c>..</c> segments (a URL would resolve them to another
    /// blob), no backslash, no trailing dot, no control characters.
    /// </summary>
    public static string? NameProblem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return $"name: required for an upload — the blob name to store the body under (e.g. ?name=photos/cat.jpg); {BlobNames.Rule}.";
        }

        string? problem = BlobNames.Problem(name);
        string shown = BlobNames.ForLog(name.Length > 64 ? string.Concat(name.AsSpan(0, 64), "…") : name);
        return problem is null ? null : $"name: '{shown}' cannot name a blob here ({problem}); {BlobNames.Rule}.";
    }

    public async Task<Result> StoreAsync(HttpRequest request, UploadPolicy policy, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(policy);
        if (request.ContentLength > policy.MaxBytes)
        {
            return Refused(TooLarge(policy, request.ContentLength));
        }

        if (request.ContentLength == 0)
        {
            return Refused(Empty());
        }

        // Kestrel refuses bodies over 30 MB by default, counting what it buffers ahead of our reads; this route enforces
        // the policy's limit itself (it stops reading one byte past it), so the server's is lifted.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = null;
        }

        BlobContainerClient container = blobs().GetBlobContainerClient(policy.Container);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        BlockBlobClient blob = container.GetBlockBlobClient(name);

        (List<string>? blocks, string? hash, IResult? problem) = await StageAsync(request.Body, blob, policy, cancellationToken);
        if (problem is not null)
        {
            return Refused(problem);
        }

        for (int attempt = 0; attempt < 2; attempt++)
        {
            BlobProperties? existing = await PropertiesAsync(blob, cancellationToken);
            if (existing is not null && existing.Metadata.TryGetValue(HashKey, out string? stored) && stored == hash)
            {
                return new Result(new BlobRef(policy.Container, name, BlobRef.QuotedETag(existing.ETag)), Stored: false, Problem: null);
            }

            try
            {
                BlobContentInfo info = (await blob.CommitBlockListAsync(blocks, new CommitBlockListOptions
                {
                    HttpHeaders = new BlobHttpHeaders { ContentType = request.ContentType },
                    Metadata = new Dictionary<string, string> { [HashKey] = hash! },

                    // Replace exactly what was looked at: a concurrent writer makes us look again.
                    Conditions = existing is null ? new BlobRequestConditions { IfNoneMatch = ETag.All } : new BlobRequestConditions { IfMatch = existing.ETag },
                }, cancellationToken)).Value;
                return new Result(new BlobRef(policy.Container, name, BlobRef.QuotedETag(info.ETag)), Stored: true, Problem: null);
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Someone else wrote the name between our look and our commit.
            }
        }

        return Refused(ApiProblems.Conflict($"name: '{name}' in {policy.Container} kept changing while this upload was stored; send it again."));
    }

    /// <summary>Stages the body in blocks, hashing as it goes; a problem when it is empty or passes the limit.</summary>
    static async Task<(List<string>? Blocks, string? Hash, IResult? Problem)> StageAsync(Stream body, BlockBlobClient blob, UploadPolicy policy, CancellationToken cancellationToken)
    {
        // Ids unique to this upload (concurrent uploads of one name stage side by side) and all of one length, as Azure requires.
        string upload = Guid.NewGuid().ToString("N");
        var blocks = new List<string>();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BlockBytes);
        try
        {
            long total = 0;
            int filled;
            // Never more than one byte past the limit: enough to know it was passed.
            while ((filled = await FillAsync(body, buffer, (int)Math.Min(BlockBytes, policy.MaxBytes + 1 - total), cancellationToken)) > 0)
            {
                total += filled;
                if (total > policy.MaxBytes)
                {
                    return (null, null, TooLarge(policy, claimed: null));
                }

                sha.AppendData(buffer, 0, filled);
                string id = Convert.ToBase64String(Encoding.ASCII.GetBytes($"{upload}-{blocks.Count:D6}"));
                using var block = new MemoryStream(buffer, 0, filled, writable: false);
                await blob.StageBlockAsync(id, block, cancellationToken: cancellationToken);
                blocks.Add(id);
            }

            return total == 0 ? (null, null, Empty()) : (blocks, Convert.ToHexStringLower(sha.GetHashAndReset()), null);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads until <paramref name="want"/> bytes are in or the body ends.</summary>
    static async Task<int> FillAsync(Stream body, byte[] buffer, int want, CancellationToken cancellationToken)
    {
        int filled = 0;
        int read;
        while (filled < want && (read = await body.ReadAsync(buffer.AsMemory(filled, want - filled), cancellationToken)) > 0)
        {
            filled += read;
        }

        return filled;
    }

    static async Task<BlobProperties?> PropertiesAsync(BlockBlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            return (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    static Result Refused(IResult problem) => new(null, false, problem);

    static IResult TooLarge(UploadPolicy policy, long? claimed) => ApiProblems.TooLarge(
        $"body: {(claimed is long n ? $"{n} bytes" : "more bytes than allowed")}; {policy.Workflow} accepts uploads of at most {policy.MaxBytes} bytes.");

    static IResult Empty() => ApiProblems.BadRequest("body: empty; send the file's bytes as the body (e.g. curl --data-binary @photo.jpg).");
}

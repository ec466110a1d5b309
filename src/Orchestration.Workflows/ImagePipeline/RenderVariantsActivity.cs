using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.DurableTask;
using Orchestration.Workflows.Durable;
using Orchestration.Workflows.Imaging;
using Orchestration.Workflows.Storage;

namespace Orchestration.Workflows.ImagePipeline;

/// <summary>
/// Downloads the source once (exactly the inspected version), renders every profile × format with
/// <see cref="VariantRenderer.RenderAll"/> (one decode for all) and uploads each to <c>{output}/{stem}/{profile}.{ext}</c>,
/// overwriting: a retry or a re-run writes the same names. Pixel data that cannot be decoded although inspection accepted
/// the file (<see cref="ImageDecodeException"/>: damaged past the checked part) is a verdict, not a failure: nothing is
/// uploaded and the result carries an <see cref="Inspection.Rejected"/> (<see cref="RejectionCode.Corrupt"/>).
/// A render that fails on a source which decodes (<see cref="ImageRenderException"/>) is our failure: it propagates, the
/// orchestrator retries it with <see cref="Options"/>, and the run ends Failed with libvips' message if it persists.
/// </summary>
public sealed class RenderVariantsActivity(BlobServiceClient blobs, ImagePipelineDefinition definition, VariantRenderer renderer, RenderGate gate)
    : TaskActivity<RenderRequest, RenderResult>
{
    /// <summary>
    /// How the orchestrator calls this activity: <see cref="TaskDefaults.Storage"/>'s attempts and back-off, retrying its
    /// transient faults and also <see cref="ImageRenderException"/> (a render that failed on a valid source: memory, a
    /// worker in trouble), never bad input.
    /// </summary>
    public static TaskOptions Options { get; } = TaskDefaults.StorageRetrying(IsRetried);

    /// <summary>Whether <see cref="Options"/> retries a failure: a transient fault (<see cref="TaskDefaults.IsTransient"/>) or an <see cref="ImageRenderException"/>.</summary>
    public static bool IsRetried(TaskFailureDetails failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return TaskDefaults.IsTransient(failure) || failure.IsCausedBy<ImageRenderException>();
    }

    public override async Task<RenderResult> RunAsync(TaskActivityContext context, RenderRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        BlobRef source = input.Source;

        IReadOnlyList<RenderedVariant>? rendered = await DownloadAndRenderAsync(input);
        if (rendered is null)
        {
            return new RenderResult([], Corrupt(input.Inspection.Format));
        }

        string outputContainer = definition.Containers.Output;
        BlobContainerClient container = blobs.GetBlobContainerClient(outputContainer);
        var variants = new List<VariantInfo>(rendered.Count);
        string name = string.Empty;
        try
        {
            await container.CreateIfNotExistsAsync();
            foreach (RenderedVariant variant in rendered)
            {
                (string extension, string contentType) = Encoding(variant.Format);
                name = ImagePaths.VariantName(input.Stem, variant.Profile, extension);
                await container.GetBlobClient(name).UploadAsync(
                    new BinaryData(variant.Bytes),
                    new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } });
                variants.Add(new VariantInfo(
                    variant.Profile,
                    variant.Format,
                    variant.Width,
                    variant.Height,
                    variant.Bytes.LongLength,
                    Convert.ToHexStringLower(SHA256.HashData(variant.Bytes)),
                    $"{outputContainer}/{name}"));
            }
        }
        catch (RequestFailedException ex) when (StorageErrors.IsPermanent(ex))
        {
            throw StorageErrors.Explain(ex, outputContainer, name);
        }

        return new RenderResult(variants);
    }

    /// <summary>
    /// Under a <see cref="RenderGate"/> slot, taken before the download so queued renders hold no image bytes and given
    /// back before the uploads: the source (exactly the inspected version), decoded once, every variant encoded. Null when
    /// the pixel data does not decode.
    /// </summary>
    async Task<IReadOnlyList<RenderedVariant>?> DownloadAndRenderAsync(RenderRequest input)
    {
        BlobRef source = input.Source;
        using RenderGate.Lease slot = await gate.EnterAsync();
        byte[] bytes;
        try
        {
            BlobDownloadResult download = (await blobs.GetBlobContainerClient(source.Container).Open(source.Name).DownloadContentAsync(
                new BlobDownloadOptions { Conditions = source.VersionConditions() })).Value;
            ReadOnlyMemory<byte> content = download.Content.ToMemory();

            // The download's own buffer when it is exactly the content: no second copy of a large source.
            bytes = MemoryMarshal.TryGetArray(content, out ArraySegment<byte> whole) && whole.Offset == 0 && whole.Count == whole.Array!.Length
                ? whole.Array
                : content.ToArray();
        }
        catch (RequestFailedException ex) when (StorageErrors.IsPermanent(ex))
        {
            throw StorageErrors.Explain(ex, source.Container, source.Name);
        }

        try
        {
            return renderer.RenderAll(bytes, input.Inspection, definition.Profiles, definition.Watermark);
        }
        catch (ImageDecodeException)
        {
            return null;
        }
    }

    /// <summary>The rejection for a file whose header passed inspection but whose pixel data cannot be decoded.</summary>
    Inspection.Rejected Corrupt(ImageFormat format) => new(
        RejectionCode.Corrupt,
        $"The {ImageSniffer.Describe(format)} file is damaged: its header is valid but its pixel data cannot be decoded (the upload may have been cut short). Export or save the image again and upload the new file.",
        ImageInspector.DescribeAllowed(definition.Limits));

    /// <summary>File extension and content type of an output format.</summary>
    public static (string Extension, string ContentType) Encoding(ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => ("jpg", "image/jpeg"),
        ImageFormat.WebP => ("webp", "image/webp"),
        ImageFormat.Png => ("png", "image/png"),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not an output format"),
    };
}

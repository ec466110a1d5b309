namespace Orchestration.Workflows.Imaging;

/// <summary>
/// The image pipeline as data (<c>workflows/image-pipeline/workflow.json</c>): device profiles, watermark, limits and
/// containers. Adding a profile needs no code change. Validated at start-up by <see cref="ImagePipelineDefinitionValidator"/>.
/// </summary>
public sealed record ImagePipelineDefinition
{
    public IReadOnlyList<DeviceProfile> Profiles { get; init; } = [];

    public WatermarkSettings Watermark { get; init; } = new();

    public ImageLimits Limits { get; init; } = new();

    public ImageContainers Containers { get; init; } = new();
}

/// <summary>How a variant fits its box: inside it (never upscaled), or covering it and cropped to exactly its size.</summary>
public enum FitMode
{
    Contain,
    Cover,
}

public enum ImageFormat
{
    Jpeg,
    Png,
    WebP,
    Gif,
    Tiff,
    Heif,
}

/// <summary>One device's variant: the box it must fit, how, in which formats, and whether it is watermarked.</summary>
public sealed record DeviceProfile
{
    /// <summary>Lowercase letters, digits and hyphens: it names the output blobs.</summary>
    public string Name { get; init; } = string.Empty;

    public int Width { get; init; }

    public int Height { get; init; }

    public FitMode Fit { get; init; } = FitMode.Contain;

    /// <summary>Output formats (Jpeg and/or WebP); one output blob each.</summary>
    public IReadOnlyList<ImageFormat> Formats { get; init; } = [ImageFormat.Jpeg];

    /// <summary>Encoder quality, 1–100.</summary>
    public int Quality { get; init; } = 85;

    public bool Watermark { get; init; } = true;

    /// <summary>Keep EXIF/XMP/ICC metadata (GPS included). Off by default: outputs are stripped.</summary>
    public bool KeepMetadata { get; init; }
}

public enum WatermarkPosition
{
    TopLeft,
    TopRight,
    BottomLeft,
    BottomRight,
    Center,
}

/// <summary>Text (rendered with the font shipped in the repo) and/or a logo blob, placed and blended on each watermarked variant.</summary>
public sealed record WatermarkSettings
{
    public string? Text { get; init; } = "© Orchestration";

    /// <summary>Optional logo as <c>container/name</c> of a PNG with alpha.</summary>
    public string? LogoBlob { get; init; }

    public WatermarkPosition Position { get; init; } = WatermarkPosition.BottomRight;

    /// <summary>0 (invisible) to 1 (opaque).</summary>
    public double Opacity { get; init; } = 0.5;

    /// <summary>Watermark width as a fraction of the variant's width, (0, 1].</summary>
    public double Scale { get; init; } = 0.25;

    /// <summary>Font file, relative to the repository's <c>assets/fonts</c> folder.</summary>
    public string Font { get; init; } = "DejaVuSans.ttf";
}

/// <summary>What an upload may be. Checked from the bytes (format sniffed, header dimensions) before anything is decoded in full.</summary>
public sealed record ImageLimits
{
    public long MaxBytes { get; init; } = 50L * 1024 * 1024;

    /// <summary>Width × height of the source; rejects decompression bombs before decoding.</summary>
    public long MaxPixels { get; init; } = 100_000_000;

    public IReadOnlyList<ImageFormat> AllowedFormats { get; init; } = [ImageFormat.Jpeg, ImageFormat.Png, ImageFormat.WebP, ImageFormat.Gif, ImageFormat.Tiff];
}

public sealed record ImageContainers
{
    public string Input { get; init; } = "images-in";

    public string Output { get; init; } = "images-out";

    public string Rejected { get; init; } = "images-rejected";

    /// <summary>
    /// The containers a request may name as its input (one image or a batch): the allow-list. Any other container, the
    /// host's own included, is refused.
    /// </summary>
    public IReadOnlyList<string> Sources { get; init; } = ["images-in"];

    public bool Equals(ImageContainers? other) =>
        other is not null && Input == other.Input && Output == other.Output && Rejected == other.Rejected
        && (Sources ?? []).SequenceEqual(other.Sources ?? []);

    public override int GetHashCode() => HashCode.Combine(Input, Output, Rejected, Sources?.Count);
}

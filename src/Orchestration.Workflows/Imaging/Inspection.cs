using System.Text.Json.Serialization;

namespace Orchestration.Workflows.Imaging;

/// <summary>The verdict of <see cref="ImageInspector"/> on an upload: <see cref="Accepted"/> or <see cref="Rejected"/>.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "verdict")]
[JsonDerivedType(typeof(Accepted), "accepted")]
[JsonDerivedType(typeof(Rejected), "rejected")]
public abstract record Inspection
{
    private Inspection()
    {
    }

    /// <summary>
    /// A decodable image within the limits. <see cref="Width"/>/<see cref="Height"/> are as stored (before EXIF
    /// rotation); <see cref="DisplayWidth"/>/<see cref="DisplayHeight"/> are as shown once auto-oriented.
    /// </summary>
    /// <param name="Format">The format sniffed from the bytes (never from the name).</param>
    /// <param name="Width">Stored width in pixels (first page/frame).</param>
    /// <param name="Height">Stored height in pixels (first page/frame).</param>
    /// <param name="Orientation">EXIF orientation 1–8 (1 when absent or invalid).</param>
    /// <param name="Bands">Bands including alpha.</param>
    /// <param name="HasAlpha">Whether the image has an alpha band.</param>
    /// <param name="Interpretation">libvips colour interpretation, e.g. <c>srgb</c>, <c>cmyk</c>, <c>b-w</c>, <c>rgb16</c>, <c>grey16</c>.</param>
    /// <param name="Pages">Pages or frames; more than one for an animated GIF/WebP or a multi-page TIFF. Only the first is rendered.</param>
    /// <param name="Bytes">Size of the upload.</param>
    public sealed record Accepted(
        ImageFormat Format,
        int Width,
        int Height,
        int Orientation,
        int Bands,
        bool HasAlpha,
        string Interpretation,
        int Pages,
        long Bytes) : Inspection
    {
        public bool Animated => Pages > 1;

        /// <summary>Orientations 5–8 are transposed: width and height swap once auto-oriented.</summary>
        public int DisplayWidth => Orientation >= 5 ? Height : Width;

        public int DisplayHeight => Orientation >= 5 ? Width : Height;
    }

    /// <summary>Not processed. <see cref="Reason"/> says what is wrong in words a user can act on; <see cref="Allowed"/> what would be accepted.</summary>
    public sealed record Rejected(RejectionCode Code, string Reason, string Allowed) : Inspection;
}

[JsonConverter(typeof(JsonStringEnumConverter<RejectionCode>))]
public enum RejectionCode
{
    /// <summary>Zero bytes.</summary>
    Empty,

    /// <summary>More bytes than <see cref="ImageLimits.MaxBytes"/>.</summary>
    TooLarge,

    /// <summary>The bytes are not an image format we recognise (e.g. a text file named <c>.jpg</c>).</summary>
    NotAnImage,

    /// <summary>A recognised image format that is not allowed or not supported (e.g. BMP, HEIF, SVG).</summary>
    UnsupportedFormat,

    /// <summary>Width × height over <see cref="ImageLimits.MaxPixels"/> (decompression bomb), read from the header.</summary>
    TooManyPixels,

    /// <summary>Truncated or corrupt: the header or the pixel data cannot be decoded.</summary>
    Corrupt,

    /// <summary>The blob's name breaks the name rule (<see cref="Storage.BlobNames.Rule"/>): it is neither read nor written under that name.</summary>
    BadName,
}

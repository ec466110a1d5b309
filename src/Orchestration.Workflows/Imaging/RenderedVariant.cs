namespace Orchestration.Workflows.Imaging;

/// <summary>One encoded variant of an image for one device profile.</summary>
/// <param name="Profile">The <see cref="DeviceProfile.Name"/> it was rendered for.</param>
/// <param name="Bytes">The encoded file.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Format">The encoding of <paramref name="Bytes"/>.</param>
#pragma warning disable CA1819 // An encoded file is a byte array by nature; it is produced once and handed on.
public sealed record RenderedVariant(string Profile, byte[] Bytes, int Width, int Height, ImageFormat Format);
#pragma warning restore CA1819

/// <summary>The pixel data could not be decoded although inspection accepted the file (e.g. corrupt past the checked part).</summary>
public sealed class ImageDecodeException : Exception
{
    public ImageDecodeException()
    {
    }

    public ImageDecodeException(string message)
        : base(message)
    {
    }

    public ImageDecodeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// libvips failed while rendering a source that decodes on its own: our failure (an operation or an encoder refusing
/// what we asked of it, memory), not the input's. Not a verdict: the activity fails, is retried, and the run then ends
/// Failed with this message.
/// </summary>
public sealed class ImageRenderException : Exception
{
    public ImageRenderException()
    {
    }

    public ImageRenderException(string message)
        : base(message)
    {
    }

    public ImageRenderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

using NetVips;

namespace Orchestration.LocalHost.Tests.ImagePipeline;

/// <summary>Images the image-pipeline tests upload, made in code.</summary>
internal static class TestPhotos
{
    /// <summary>A JPEG of one flat blue-grey colour: any mark a render adds (the watermark) stands out against it.</summary>
    public static byte[] UniformJpeg(int width, int height, int quality = 90)
    {
        using Image flat = (Image.Black(width, height, bands: 3) + new double[] { 90, 140, 200 }).Cast(Enums.BandFormat.Uchar);
        return flat.JpegsaveBuffer(q: quality);
    }
}

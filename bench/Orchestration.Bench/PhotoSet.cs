using NetVips;

namespace Orchestration.Bench;

/// <summary>
/// Distinct photo-like 12-megapixel JPEGs, generated at run time into a temp folder and deleted on dispose: nothing to
/// commit, and files are read one at a time, never all held in memory. Each image has its own seed, so no two share
/// bytes (no cache anywhere can serve one from another), and a run regenerates exactly the same set.
/// </summary>
internal sealed class PhotoSet : IDisposable
{
    public const int Width = 4000;
    public const int Height = 3000;
    public const int Quality = 90;

    readonly string folder;

    PhotoSet(string folder, IReadOnlyList<string> files)
    {
        this.folder = folder;
        Files = files;
    }

    public IReadOnlyList<string> Files { get; }

    /// <summary>Mean file size in bytes.</summary>
    public double MeanBytes => Files.Average(f => new FileInfo(f).Length);

    /// <summary>Writes <paramref name="count"/> images named <c>photo-000.jpg</c>, … (seeds 0, 1, …), a few at a time.</summary>
    public static PhotoSet Generate(int count)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"orchestration-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        string[] files = Enumerable.Range(0, count).Select(i => Path.Combine(folder, $"photo-{i:000}.jpg")).ToArray();
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => Write(files[i], seed: i));
        return new PhotoSet(folder, files);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>
    /// What makes a JPEG cost what a photo costs: a colour gradient with coarse and fine Perlin structure (sky, shading,
    /// texture), a few solid discs (edges), then per-channel sensor noise (high-frequency detail the encoder must keep,
    /// which brings a q90 file to a camera's size, ~4–5 MB).
    /// </summary>
    static void Write(string path, int seed)
    {
        var random = new Random(seed);
        using Image light = Light(random, seed);
        using Image discs = light.Mutate(canvas => DrawDiscs(canvas, random));
        using Image noise = Image.Gaussnoise(Width, Height, mean: 0, sigma: 7, seed: seed * 3)
            .Bandjoin(Image.Gaussnoise(Width, Height, mean: 0, sigma: 7, seed: (seed * 3) + 1), Image.Gaussnoise(Width, Height, mean: 0, sigma: 7, seed: (seed * 3) + 2));
        using Image photo = (discs + noise).Cast(Enums.BandFormat.Uchar);
        photo.Jpegsave(path, q: Quality);
    }

    /// <summary>Three bands of gradient plus two octaves of Perlin noise, each band with its own random weights, as 8-bit sRGB.</summary>
    static Image Light(Random random, int seed)
    {
        using Image xyz = Image.Xyz(Width, Height);
        using Image across = xyz[0] / (double)Width;
        using Image down = xyz[1] / (double)Height;
        using Image coarse = Image.Perlin(Width, Height, cellSize: 700, seed: seed);
        using Image fine = Image.Perlin(Width, Height, cellSize: 90, seed: seed + 10_000);
        Image[] bands = Enumerable.Range(0, 3).Select(_ =>
            (across * Between(random, -80, 80)) + (down * Between(random, -120, 60)) + (coarse * Between(random, 30, 70)) + (fine * Between(random, 8, 20)) + Between(random, 70, 180))
            .ToArray();
        try
        {
            using Image joined = bands[0].Bandjoin(bands[1], bands[2]);
            return joined.Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
        }
        finally
        {
            Array.ForEach(bands, b => b.Dispose());
        }
    }

    static void DrawDiscs(MutableImage canvas, Random random)
    {
        for (int i = 0; i < 12; i++)
        {
            double[] ink = [random.Next(256), random.Next(256), random.Next(256)];
            canvas.DrawCircle(ink, random.Next(Width), random.Next(Height), random.Next(40, 500), fill: true);
        }
    }

    static double Between(Random random, double low, double high) => low + (random.NextDouble() * (high - low));
}

using System.Diagnostics;
using System.Security.Cryptography;
using Orchestration.Workflows.Imaging;

namespace Orchestration.Bench;

/// <summary>How long a batch of images took, and the CPU the processes involved burned meanwhile.</summary>
internal sealed record ImageRun(string Name, int Images, TimeSpan Elapsed, TimeSpan Cpu, TimeSpan? StorageCpu = null)
{
    public double ImagesPerSecond => Images / Elapsed.TotalSeconds;

    /// <summary>Wall time per image at this throughput (not one image's own latency).</summary>
    public double MsPerImage => Elapsed.TotalMilliseconds / Images;
}

/// <summary>
/// The baseline: the pipeline's work with neither storage nor engine, in this process, with the same library and the same
/// definition — read the file, inspect it as <c>InspectImageActivity</c> does (header checks and the 1/8-scale verifying
/// decode), render every profile × format with <see cref="VariantRenderer.RenderAll"/> as <c>RenderVariantsActivity</c>
/// does, and hash each output as the manifest does. Whatever the pipeline spends beyond this is its own cost.
/// </summary>
internal sealed class BareImageLoop(ImagePipelineDefinition definition, VariantRenderer renderer)
{
    /// <summary>Outputs per image: one per profile and format.</summary>
    public int VariantsPerImage { get; } = definition.Profiles.Sum(p => p.Formats.Count);

    public ImageRun Sequential(IReadOnlyList<string> files) =>
        Measure("bare loop, sequential", files.Count, () =>
        {
            foreach (string file in files)
            {
                Process(file);
            }
        });

    /// <summary><paramref name="workers"/> images at once (libvips also spreads each image over the cores).</summary>
    public ImageRun Parallel(IReadOnlyList<string> files, int workers) =>
        Measure($"bare loop, {workers} workers", files.Count, () =>
            System.Threading.Tasks.Parallel.ForEach(files, new ParallelOptions { MaxDegreeOfParallelism = workers }, Process));

    /// <summary>One image alone: what a single upload would cost without storage and engine.</summary>
    public TimeSpan Single(string file) => Measure("bare loop, one image", 1, () => Process(file)).Elapsed;

    /// <summary>
    /// Milliseconds per image to render every variant with one decode (<see cref="VariantRenderer.RenderAll"/>) and with one
    /// decode per profile (<see cref="VariantRenderer.RenderEach"/>), alternating per image so both see the same machine
    /// load. Render only: reading and inspecting are the same either way.
    /// </summary>
    public (double RenderAllMs, double RenderEachMs) CompareRenderPaths(IReadOnlyList<string> files)
    {
        TimeSpan all = TimeSpan.Zero, each = TimeSpan.Zero;
        foreach (string file in files)
        {
            byte[] bytes = File.ReadAllBytes(file);
            Inspection.Accepted accepted = Inspect(bytes);
            all += Time(() => Check(renderer.RenderAll(bytes, accepted, definition.Profiles, definition.Watermark)));
            each += Time(() => Check(renderer.RenderEach(bytes, accepted, definition.Profiles, definition.Watermark)));
        }

        return (all.TotalMilliseconds / files.Count, each.TotalMilliseconds / files.Count);
    }

    void Process(string file)
    {
        byte[] bytes = File.ReadAllBytes(file);
        IReadOnlyList<RenderedVariant> variants = Check(renderer.RenderAll(bytes, Inspect(bytes), definition.Profiles, definition.Watermark));
        foreach (RenderedVariant variant in variants)
        {
            _ = SHA256.HashData(variant.Bytes);
        }
    }

    Inspection.Accepted Inspect(byte[] bytes) => ImageInspector.Inspect(bytes, definition.Limits) as Inspection.Accepted
        ?? throw new InvalidOperationException("A generated image was rejected: the benchmark would measure a broken run.");

    IReadOnlyList<RenderedVariant> Check(IReadOnlyList<RenderedVariant> variants) => variants.Count == VariantsPerImage
        ? variants
        : throw new InvalidOperationException($"{variants.Count} variants rendered where {VariantsPerImage} were expected.");

    static TimeSpan Time(Action action)
    {
        long start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start);
    }

    static ImageRun Measure(string name, int images, Action action)
    {
        TimeSpan cpu = CpuMeter.Self();
        TimeSpan elapsed = Time(action);
        return new ImageRun(name, images, elapsed, CpuMeter.Self() - cpu);
    }
}

using static Orchestration.Bench.Figures;

namespace Orchestration.Bench;

/// <summary>
/// Prints the image benchmark as Markdown tables: the runs, the targets with PASS or MISS (measured and reported, never
/// asserted: a miss does not fail the run), and where the pipeline's time goes.
/// </summary>
internal static class ImageReport
{
    public const double ThroughputTarget = 0.7;
    public static readonly TimeSpan LatencyAllowance = TimeSpan.FromMilliseconds(300);
    public const long MemoryTargetBytes = 400L * 1024 * 1024;

    /// <summary>What was run: <paramref name="Images"/> in the throughput runs, their mean size, outputs per image, settings given to the host.</summary>
    public sealed record Setup(int Images, double MeanBytes, int VariantsPerImage, IReadOnlyList<string> HostSettings);

    public static void Print(Setup setup, BareFigures bare, PipelineFigures pipeline)
    {
        Console.WriteLine();
        Console.WriteLine(
            $"Image pipeline benchmark — {setup.Images} generated {PhotoSet.Width}×{PhotoSet.Height} JPEGs (q{PhotoSet.Quality}, mean {setup.MeanBytes / 1e6:0.0} MB), "
            + $"{setup.VariantsPerImage} outputs each, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine($"Host settings beyond the bench's: {(setup.HostSettings.Count == 0 ? "none" : string.Join(' ', setup.HostSettings))}");
        PrintRuns(bare, pipeline);
        PrintRenderPaths(bare);
        PrintTargets(bare, pipeline);
        PrintStages(pipeline);
    }

    static void PrintRuns(BareFigures bare, PipelineFigures pipeline)
    {
        Console.WriteLine();
        Console.WriteLine("| run | images | elapsed | images/s | ms/image | single image | CPU | Azurite CPU |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        PrintRun(bare.Sequential, $"{Ms(bare.Single)} ms");
        PrintRun(bare.Parallel, "–");
        PrintRun(pipeline.Batch, $"{Ms(pipeline.Single)} ms");
        Console.WriteLine($"ms/image is wall time per image at that throughput; single image is the median of {ImageBenchmark.SingleImages} images, each alone "
            + "(pipeline: upload start → manifest seen). CPU is the bare loop's process or the local host's, as a share of one core.");
    }

    static void PrintRun(ImageRun run, string single) => Console.WriteLine(
        $"| {run.Name} | {run.Images} | {run.Elapsed.TotalSeconds:0.00} s | {run.ImagesPerSecond:0.00} | {run.MsPerImage:0} | {single} | {Share(run.Cpu, run.Elapsed)} | "
        + $"{(run.StorageCpu is { } storage ? Share(storage, run.Elapsed) : "–")} |");

    static void PrintRenderPaths(BareFigures bare)
    {
        Console.WriteLine();
        Console.WriteLine(
            $"Decode once or per profile (bare, render only, {bare.RenderComparisonImages} images one at a time): RenderAll {bare.RenderAllMs:0} ms/image, "
            + $"RenderEach {bare.RenderEachMs:0} ms/image — decoding once is {bare.RenderEachMs / bare.RenderAllMs:0.00}× as fast.");
    }

    static void PrintTargets(BareFigures bare, PipelineFigures pipeline)
    {
        double ratio = pipeline.Batch.ImagesPerSecond / bare.Best.ImagesPerSecond;
        TimeSpan extra = pipeline.Single - bare.Single;
        Console.WriteLine();
        Console.WriteLine("| target | measured | result |");
        Console.WriteLine("|---|---|---|");
        Console.WriteLine(
            $"| throughput ≥ {ThroughputTarget} × bare ({bare.Best.Name}, the better) | {ratio:0.00} × ({pipeline.Batch.ImagesPerSecond:0.00} vs {bare.Best.ImagesPerSecond:0.00} images/s) "
            + $"| {Verdict(ratio >= ThroughputTarget)} |");
        Console.WriteLine(
            $"| single-image latency ≤ bare + {Ms(LatencyAllowance)} ms | {Ms(pipeline.Single)} ms = bare {Ms(bare.Single)} ms + {Ms(extra)} ms "
            + $"| {Verdict(extra <= LatencyAllowance)} |");
        HostMemory memory = pipeline.Memory;
        Console.WriteLine(
            $"| peak working set of the host ≤ {Mb(MemoryTargetBytes)} MB | {Mb(memory.PeakBytes)} MB (VmHWM; highest VmRSS sampled every 100 ms: {Mb(memory.MaxSampledBytes)} MB) "
            + $"| {Verdict(memory.PeakBytes <= MemoryTargetBytes)} |");
        Console.WriteLine(
            $"Host working set started and idle: {Mb(memory.IdleBytes)} MB; after the warm-up: {Mb(memory.WarmBytes)} MB. "
            + $"Azurite's peak (in-memory storage, not part of the target): {Mb(pipeline.AzuritePeakBytes)} MB.");
    }

    static void PrintStages(PipelineFigures pipeline)
    {
        IReadOnlyList<Stage> single = StageProfile.Mean(pipeline.SingleRuns);
        IReadOnlyList<Stage> loaded = StageProfile.Mean(pipeline.BatchRuns);
        Console.WriteLine();
        Console.WriteLine($"Where the pipeline's time goes (mean ms per image; stages from the bench's clock and the instance histories):");
        Console.WriteLine();
        Console.WriteLine($"| stage | single image | {pipeline.Batch.Images} uploaded at once |");
        Console.WriteLine("|---|---:|---:|");
        for (int i = 0; i < single.Count; i++)
        {
            Console.WriteLine($"| {single[i].Name} | {Ms(single[i].Duration)} | {Ms(loaded[i].Duration)} |");
        }

        Console.WriteLine(
            $"| **upload → manifest** | **{Ms(Mean(pipeline.SingleRuns))}** | **{Ms(Mean(pipeline.BatchRuns))}** |");
    }

    static TimeSpan Mean(IReadOnlyList<StageProfile> runs) => TimeSpan.FromTicks((long)runs.Average(r => r.Latency.Ticks));
}

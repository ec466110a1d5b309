using System.Text.Json;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestration.LocalHost.Azurite;
using Orchestration.Workflows.Imaging;
using static Orchestration.Bench.BenchArgs;

namespace Orchestration.Bench;

/// <summary>What the bare loop measured: the baselines the pipeline is held against.</summary>
internal sealed record BareFigures(ImageRun Sequential, ImageRun Parallel, TimeSpan Single, double RenderAllMs, double RenderEachMs, int RenderComparisonImages)
{
    /// <summary>The fair throughput baseline: the better of sequential and parallel.</summary>
    public ImageRun Best => Parallel.ImagesPerSecond >= Sequential.ImagesPerSecond ? Parallel : Sequential;
}

/// <summary>What the pipeline measured, with the runs it measured for the stage profile.</summary>
internal sealed record PipelineFigures(
    ImageRun Batch,
    TimeSpan Single,
    HostMemory Memory,
    long AzuritePeakBytes,
    IReadOnlyList<StageProfile> SingleRuns,
    IReadOnlyList<StageProfile> BatchRuns);

/// <summary>
/// <c>images</c> mode: generated 12-megapixel JPEGs through the image pipeline end to end (upload → manifest) on the
/// local host with Azurite, against a bare in-process loop producing the same outputs with the same library, in the same
/// run. The local host runs as its own process so its peak working set is the app's alone.
/// Usage: <c>dotnet run -c Release --project bench/Orchestration.Bench -- images [--count 50] [--Section:Key=value ...]</c>;
/// configuration arguments (<c>--Durable:…</c>, <c>--ImagePipeline:…</c>, <c>--BlobTriggers:…</c>) go to the host.
/// </summary>
internal static class ImageBenchmark
{
    const int WarmUpImages = 2;

    /// <summary>Single-image latency is the median of this many images, each alone.</summary>
    public const int SingleImages = 3;

    /// <summary>Images rendered both ways for the RenderAll/RenderEach comparison.</summary>
    const int ComparedImages = 5;

    /// <summary>Concurrent uploaders in the throughput run: a burst like a user's folder upload.</summary>
    const int Uploaders = 4;

    public static async Task RunAsync(string[] args)
    {
        int count = BenchArgs.Int(args, "--count", 50);
        string[] hostSettings = BenchArgs.HostSettings(args);

        Progress($"generating {WarmUpImages + SingleImages + count} images of {PhotoSet.Width}×{PhotoSet.Height} …");
        using PhotoSet photos = PhotoSet.Generate(WarmUpImages + SingleImages + count);
        IReadOnlyList<string> warmUp = photos.Files.Take(WarmUpImages).ToList();
        IReadOnlyList<string> single = photos.Files.Skip(WarmUpImages).Take(SingleImages).ToList();
        IReadOnlyList<string> batch = photos.Files.Skip(WarmUpImages + SingleImages).ToList();

        ImagePipelineDefinition definition = ImagePipelineDefinitionLoader.Load(ImagePipelineDefinitionLoader.DefaultPath);
        var bare = new BareImageLoop(definition, new VariantRenderer());
        BareFigures bareFigures = MeasureBare(bare, warmUp, single, batch);
        PipelineFigures pipelineFigures = await MeasurePipelineAsync(definition, bare.VariantsPerImage, hostSettings, warmUp, single, batch);

        ImageReport.Print(new ImageReport.Setup(count, photos.MeanBytes, bare.VariantsPerImage, hostSettings), bareFigures, pipelineFigures);
    }

    static BareFigures MeasureBare(BareImageLoop bare, IReadOnlyList<string> warmUp, IReadOnlyList<string> single, IReadOnlyList<string> batch)
    {
        Progress("bare loop …");
        bare.Sequential(warmUp);
        TimeSpan alone = Median(single.Select(bare.Single));
        ImageRun sequential = bare.Sequential(batch);
        ImageRun parallel = bare.Parallel(batch, Environment.ProcessorCount);
        IReadOnlyList<string> compared = batch.Take(ComparedImages).ToList();
        (double allMs, double eachMs) = bare.CompareRenderPaths(compared);
        return new BareFigures(sequential, parallel, alone, allMs, eachMs, compared.Count);
    }

    static async Task<PipelineFigures> MeasurePipelineAsync(
        ImagePipelineDefinition definition,
        int variantsPerImage,
        string[] hostSettings,
        IReadOnlyList<string> warmUp,
        IReadOnlyList<string> single,
        IReadOnlyList<string> batch)
    {
        Progress("pipeline: starting Azurite and the local host …");
        await using AzuriteLauncher azurite = await AzuriteLauncher.StartAsync(new AzuriteLaunchOptions { InMemory = true }, NullLogger.Instance, CancellationToken.None);
        await using HostProcess host = await HostProcess.StartAsync(
        [
            $"--AzureWebJobsStorage={azurite.ConnectionString}",
            "--Durable:Backend=AzureStorage",
            $"--Durable:TaskHub=BenchImages{Guid.NewGuid():N}",
            "--Durable:WorkerId=bench",
            "--LocalHost:BlobTriggers=true",
            "--BlobTriggers:PollIntervalSeconds=0.25",
            "--LocalHost:Timers=false",
            "--Logging:LogLevel:Default=Warning",
            .. hostSettings,
        ]);
        await using MemoryMeter memory = MemoryMeter.Watch(host.Id);
        var driver = new PipelineDriver(new BlobServiceClient(azurite.ConnectionString), host, definition.Containers.Output, variantsPerImage);
        await driver.CreateContainersAsync();
        long idleBytes = memory.CurrentBytes;

        Progress("pipeline: warm-up …");
        await driver.VerifyAsync(await driver.RunManyAsync(warmUp, Uploaders));
        long warmBytes = memory.CurrentBytes;

        Progress("pipeline: single images …");
        var singleRuns = new List<StageProfile>();
        foreach (string file in single)
        {
            PipelineUpload upload = await driver.RunOneAsync(file);
            singleRuns.Add(StageProfile.Of(upload, (await driver.VerifyAsync([upload]))[0]));
        }

        Progress($"pipeline: {batch.Count} images …");
        TimeSpan hostCpu = CpuMeter.Of(host.Id), azuriteCpu = CpuMeter.Of(azurite.ProcessId);
        IReadOnlyList<PipelineUpload> uploads = await driver.RunManyAsync(batch, Uploaders);
        TimeSpan elapsed = uploads.Max(u => u.ManifestSeen) - uploads.Min(u => u.Started);
        var run = new ImageRun("pipeline, upload → manifest", batch.Count, elapsed, CpuMeter.Of(host.Id) - hostCpu, CpuMeter.Of(azurite.ProcessId) - azuriteCpu);
        IReadOnlyList<JsonElement[]> histories = await driver.VerifyAsync(uploads);

        return new PipelineFigures(
            run,
            Median(singleRuns.Select(r => r.Latency)),
            new HostMemory(idleBytes, warmBytes, memory.PeakBytes, memory.MaxSampledBytes),
            MemoryMeter.PeakOf(azurite.ProcessId),
            singleRuns,
            uploads.Zip(histories, StageProfile.Of).ToList());
    }

    static TimeSpan Median(IEnumerable<TimeSpan> values)
    {
        TimeSpan[] sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}

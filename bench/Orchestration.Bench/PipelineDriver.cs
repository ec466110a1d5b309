using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Orchestration.Workflows.ImagePipeline;
using Orchestration.Workflows.Storage;
using Orchestration.Workflows.Triggers;

namespace Orchestration.Bench;

/// <summary>One image through the pipeline: when its upload started and ended, and when its manifest was first seen.</summary>
internal sealed record PipelineUpload(string Name, string InstanceId, DateTimeOffset Started, DateTimeOffset Uploaded, DateTimeOffset ManifestSeen)
{
    public TimeSpan Latency => ManifestSeen - Started;
}

/// <summary>
/// Drives the image pipeline from outside, as a user does: uploads to <c>images-in</c> (the blob trigger starts the
/// orchestration) and waits for <c>images-out/{stem}/manifest.json</c>. Then checks every run through the host's HTTP
/// API — completed, <see cref="ImageOutcome.Processed"/>, every variant — so a benchmark of failures cannot pass for one
/// of successes, and hands back each instance's history for the stage profile.
/// </summary>
internal sealed class PipelineDriver(BlobServiceClient blobs, HostProcess host, string outputContainer, int variantsPerImage)
{
    /// <summary>How often the manifests are looked for: fine enough for the figures, light enough not to load Azurite.</summary>
    static readonly TimeSpan SingleManifestPoll = TimeSpan.FromMilliseconds(20);
    static readonly TimeSpan ManifestListingPoll = TimeSpan.FromMilliseconds(200);

    /// <summary>A run that makes no progress for this long has failed (a rejected or failed image writes no manifest).</summary>
    static readonly TimeSpan Stall = TimeSpan.FromSeconds(90);

    readonly BlobContainerClient input = blobs.GetBlobContainerClient(ImagePipelineOrchestrator.InputContainer);
    readonly BlobContainerClient output = blobs.GetBlobContainerClient(outputContainer);

    public async Task CreateContainersAsync()
    {
        await input.CreateIfNotExistsAsync();
        await output.CreateIfNotExistsAsync();
    }

    /// <summary>One image on its own: upload it, then look for its manifest every 20 ms.</summary>
    public async Task<PipelineUpload> RunOneAsync(string file)
    {
        (string name, string instanceId, DateTimeOffset started, DateTimeOffset uploaded) = await UploadAsync(file);
        BlobClient manifest = output.GetBlobClient(ManifestOf(name));
        while (!await manifest.ExistsAsync())
        {
            await ThrowIfStalledAsync(uploaded, [instanceId]);
            await Task.Delay(SingleManifestPoll);
        }

        return new PipelineUpload(name, instanceId, started, uploaded, DateTimeOffset.UtcNow);
    }

    /// <summary>
    /// All of <paramref name="files"/> uploaded by <paramref name="uploaders"/> concurrent uploaders, while the output
    /// container is listed every 200 ms until every manifest is there. Each manifest's time is when a listing first showed it.
    /// </summary>
    public async Task<IReadOnlyList<PipelineUpload>> RunManyAsync(IReadOnlyList<string> files, int uploaders)
    {
        var uploads = new ConcurrentDictionary<string, (string InstanceId, DateTimeOffset Started, DateTimeOffset Uploaded)>();
        Task uploading = Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = uploaders }, async (file, _) =>
        {
            (string name, string instanceId, DateTimeOffset started, DateTimeOffset uploaded) = await UploadAsync(file);
            uploads[name] = (instanceId, started, uploaded);
        });

        Dictionary<string, string> expected = files.Select(f => Path.GetFileName(f)).ToDictionary(ManifestOf, n => n);
        var seen = new Dictionary<string, DateTimeOffset>();
        DateTimeOffset progress = DateTimeOffset.UtcNow;
        while (seen.Count < expected.Count || !uploading.IsCompleted)
        {
            if (uploading.IsFaulted)
            {
                await uploading;
            }

            await Task.Delay(ManifestListingPoll);
            int before = seen.Count;
            DateTimeOffset now = DateTimeOffset.UtcNow;
            await foreach (BlobItem blob in output.GetBlobsAsync())
            {
                if (expected.ContainsKey(blob.Name))
                {
                    seen.TryAdd(blob.Name, now);
                }
            }

            progress = seen.Count > before ? now : progress;
            await ThrowIfStalledAsync(progress, uploads.Where(u => !seen.ContainsKey(ManifestOf(u.Key))).Select(u => u.Value.InstanceId));
        }

        await uploading;
        return seen.Select(s =>
        {
            string name = expected[s.Key];
            (string instanceId, DateTimeOffset started, DateTimeOffset uploaded) = uploads[name];
            return new PipelineUpload(name, instanceId, started, uploaded, s.Value);
        }).OrderBy(u => u.Started).ToList();
    }

    /// <summary>
    /// Waits until each run has finished (the source is marked after the manifest is written), checks that it completed
    /// with <see cref="ImageOutcome.Processed"/> and every variant, and returns each one's history events.
    /// </summary>
    public async Task<IReadOnlyList<JsonElement[]>> VerifyAsync(IEnumerable<PipelineUpload> uploads)
    {
        var histories = new List<JsonElement[]>();
        foreach (PipelineUpload upload in uploads)
        {
            using JsonDocument status = await FinishedStatusAsync(upload.InstanceId);
            JsonElement root = status.RootElement;
            string outcome = root.GetProperty("output").GetProperty("outcome").GetString() ?? "none";
            int variants = root.GetProperty("output").GetProperty("variants").GetInt32();
            if (root.GetProperty("runtimeStatus").GetString() != "Completed" || outcome != nameof(ImageOutcome.Processed) || variants != variantsPerImage)
            {
                throw new InvalidOperationException($"{upload.Name} did not go through the pipeline as it should: {root}");
            }

            histories.Add(root.GetProperty("history").EnumerateArray().Select(e => e.Clone()).ToArray());
        }

        return histories;
    }

    async Task<(string Name, string InstanceId, DateTimeOffset Started, DateTimeOffset Uploaded)> UploadAsync(string file)
    {
        string name = Path.GetFileName(file);
        DateTimeOffset started = DateTimeOffset.UtcNow;
        BlobContentInfo info = (await input.GetBlobClient(name).UploadAsync(file)).Value;
        DateTimeOffset uploaded = DateTimeOffset.UtcNow;

        // The trigger sees the ETag quoted, as blob properties return it; the instance id hashes it that way.
        string etag = info.ETag.ToString() is var bare && bare.StartsWith('"') ? bare : $"\"{bare}\"";
        return (name, BlobTriggerStarter.InstanceIdFor(ImagePipelineOrchestrator.Workflow, new BlobRef(input.Name, name, etag)), started, uploaded);
    }

    static string ManifestOf(string name) => ImagePaths.ManifestBlobName(ImagePaths.Stem(name));

    async Task<JsonDocument> FinishedStatusAsync(string instanceId)
    {
        var uri = new Uri($"api/instances/{instanceId}?showHistory=true", UriKind.Relative);
        DateTimeOffset since = DateTimeOffset.UtcNow;
        while (true)
        {
            using HttpResponseMessage response = await host.Api.GetAsync(uri);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            }

            await ThrowIfStalledAsync(since, [instanceId]);
            await Task.Delay(100);
        }
    }

    /// <summary>Throws, naming the runs still pending and what the host says about them, once nothing has moved since <paramref name="progress"/> for <see cref="Stall"/>.</summary>
    async Task ThrowIfStalledAsync(DateTimeOffset progress, IEnumerable<string> instanceIds)
    {
        host.ThrowIfExited();
        if (DateTimeOffset.UtcNow - progress < Stall)
        {
            return;
        }

        var states = new List<string>();
        foreach (string id in instanceIds.Take(5))
        {
            using HttpResponseMessage response = await host.Api.GetAsync(new Uri($"api/instances/{id}", UriKind.Relative));
            states.Add($"{id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        throw new TimeoutException($"No progress for {Stall.TotalSeconds} s. Some runs:{Environment.NewLine}{string.Join(Environment.NewLine, states)}{Environment.NewLine}Host output:{Environment.NewLine}{host.RecentOutput}");
    }
}

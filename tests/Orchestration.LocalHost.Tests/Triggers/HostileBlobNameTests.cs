using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NetVips;
using Orchestration.LocalHost.Azurite;
using Orchestration.LocalHost.Tests.Infrastructure;
using Orchestration.LocalHost.Tests.FraudScan;
using Orchestration.LocalHost.Triggers;
using Orchestration.Workflows.FraudScan;
using Orchestration.Workflows.ImagePipeline;
using Orchestration.Workflows.Imaging;
using Orchestration.Workflows.Samples;
using Orchestration.Workflows.Storage;
using Orchestration.Workflows.Triggers;
using static Orchestration.LocalHost.Tests.Triggers.TriggerTestData;

namespace Orchestration.LocalHost.Tests.Triggers;

/// <summary>
/// Blob names as an attacker or a careless client gives them (issue 11, items 1–5), on the real local host with Azurite:
/// no name reaches another container or blob, every one ends in a verdict, control characters never reach a log raw,
/// and one unlistable name does not stop the trigger.
/// </summary>
// One at a time: each test's host watches this class's images-in / samples-in / market-events.
[TestClass]
[DoNotParallelize]
public sealed class HostileBlobNameTests : DedicatedStorageTest<HostileBlobNameTests>
{
    static readonly TimeSpan RunPatience = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Item 1, 2, 3. Names with <c>../</c>, <c>..\</c> (Azurite stores it as <c>../</c>), <c>%2e%2e/</c>, a leading <c>/</c>
    /// and a hop out of images-in, aimed at a decoy container: the receipts (named from a hash) and the runs never touch
    /// the decoy, which stays byte-, metadata-, lease- and ETag-identical; every name ends Completed, the unusable ones
    /// Rejected (BadName) with a reason file under a derived name, never Failed.
    /// </summary>
    [TestMethod]
    public async Task HostileNames_NeverReachAnotherContainer_AndEndInAVerdict()
    {
        string decoy = $"decoy{Guid.NewGuid():N}"[..20];
        BlobContainerClient decoyContainer = Storage.Blobs.GetBlobContainerClient(decoy);
        await decoyContainer.CreateIfNotExistsAsync(cancellationToken: Ct);
        byte[] decoyBytes = RandomBytes(1000);
        BlobClient target = decoyContainer.GetBlobClient("target.jpg");
        await target.UploadAsync(BinaryData.FromBytes(decoyBytes), new BlobUploadOptions { Metadata = new Dictionary<string, string> { ["owner"] = "decoy" } }, Ct);
        BlobProperties before = (await target.GetPropertiesAsync(cancellationToken: Ct)).Value;

        // The receipt lives at azure-webjobs-hosts/blobreceipts/{host}/{function}/{etag}/images-in/{name}: six '..' climb to
        // the account; "uploads/../.." climbs from images-in to the account.
        string up = string.Concat(Enumerable.Repeat("../", 6));
        var unusable = new (string Raw, string Stored)[]
        {
            (Raw(up.Replace("/", "\\", StringComparison.Ordinal) + decoy + "\\planted.jpg"), up + decoy + "/planted.jpg"),
            (Raw(up + decoy + "/target.jpg"), up + decoy + "/target.jpg"),
            (Raw($"uploads/../../{decoy}/target.jpg"), $"uploads/../../{decoy}/target.jpg"),
            ("%2Flead.jpg", "/lead.jpg"),
        };
        string literalPercent = $"%2e%2e/%2e%2e/{decoy}/target.jpg";
        byte[] jpeg = Jpeg(64, 48);

        BlobContainerClient input = Storage.Blobs.GetBlobContainerClient("images-in");
        await input.CreateIfNotExistsAsync(cancellationToken: Ct);
        foreach ((string raw, _) in unusable)
        {
            await RawBlob(input, raw).UploadAsync(BinaryData.FromBytes(jpeg), overwrite: true, Ct);
        }

        await input.GetBlobClient(literalPercent).UploadAsync(BinaryData.FromBytes(jpeg), overwrite: true, Ct);
        Dictionary<string, string> etags = await ListedETagsAsync(input);
        foreach (string stored in unusable.Select(u => u.Stored).Append(literalPercent))
        {
            Assert.IsTrue(etags.ContainsKey(stored), $"precondition: Azurite stores '{stored}' under that name (listed: {string.Join(", ", etags.Keys)})");
        }

        await using TestHost host = await TestHost.StartAsync(new TestHostOptions { BlobTriggers = true, Settings = Storage.HostSettings(NewHostId()) }, Ct);

        // First let every run finish, whatever its end, and look at the decoy: nothing may have touched it.
        var finished = new Dictionary<string, OrchestrationMetadata>(StringComparer.Ordinal);
        foreach (string stored in unusable.Select(u => u.Stored).Append(literalPercent))
        {
            finished[stored] = await FinishedAsync(host, "images-in", stored, etags[stored]);
        }

        var decoyBlobs = new List<string>();
        await foreach (BlobItem item in decoyContainer.GetBlobsAsync(cancellationToken: Ct))
        {
            decoyBlobs.Add(item.Name);
        }

        CollectionAssert.AreEquivalent(new[] { "target.jpg" }, decoyBlobs, "nothing was created in the decoy container");
        BlobProperties after = (await target.GetPropertiesAsync(cancellationToken: Ct)).Value;
        Assert.AreEqual(before.ETag, after.ETag, "the decoy's ETag");
        CollectionAssert.AreEquivalent(before.Metadata.ToList(), after.Metadata.ToList(), "the decoy's metadata");
        Assert.AreEqual(LeaseState.Available, after.LeaseState, "the decoy was never leased");
        Assert.AreEqual(0, after.TagCount, "the decoy was never tagged");
        CollectionAssert.AreEqual(decoyBytes, (await target.DownloadContentAsync(Ct)).Value.Content.ToArray(), "the decoy's bytes");

        // Then the verdicts: the unusable names Rejected with a reason file under a derived name, never Failed.
        BlobContainerClient rejected = Storage.Blobs.GetBlobContainerClient("images-rejected");
        foreach ((_, string stored) in unusable)
        {
            OrchestrationMetadata done = finished[stored];
            Assert.AreEqual(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus, $"{stored}: {done.FailureDetails}");
            ImagePipelineResult result = done.ReadOutputAs<ImagePipelineResult>()!;
            Assert.AreEqual(ImageOutcome.Rejected, result.Outcome, stored);
            Assert.AreEqual(RejectionCode.BadName, result.Code, stored);
            string reasonName = BlobNames.BadNameReasonName(stored);
            Assert.AreEqual($"images-rejected/{reasonName}", result.RejectedTo, stored);
            using JsonDocument reason = JsonDocument.Parse((await rejected.GetBlobClient(reasonName).DownloadContentAsync(Ct)).Value.Content);
            Assert.AreEqual(stored, reason.RootElement.GetProperty("name").GetString(), "the reason file keeps the original name as data");
            Assert.AreEqual("BadName", reason.RootElement.GetProperty("code").GetString());
        }

        // A literal '%2e%2e' is just characters: processed as any other name.
        OrchestrationMetadata percent = finished[literalPercent];
        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, percent.RuntimeStatus, $"{literalPercent}: {percent.FailureDetails}");
        Assert.AreEqual(ImageOutcome.Processed, percent.ReadOutputAs<ImagePipelineResult>()!.Outcome, literalPercent);
    }

    /// <summary>
    /// Item 5. Names with TAB, CR, LF, DEL and a C1 control end Rejected (BadName) with a reason file under a derived
    /// name; nothing is written under them, and no log line of the host holds a raw control character.
    /// </summary>
    [TestMethod]
    public async Task ControlCharacterNames_RejectedWithAReason_AndEscapedInLogs()
    {
        string id = Guid.NewGuid().ToString("N")[..8];
        string[] names = [$"tab\t{id}.jpg", $"cr\r{id}.jpg", $"lf\n{id}.jpg", $"crlf\r\n{id}.jpg", $"del\u007f{id}.jpg", $"nel\u0085{id}.jpg"];
        byte[] jpeg = Jpeg(64, 48);
        BlobContainerClient input = Storage.Blobs.GetBlobContainerClient("images-in");
        await input.CreateIfNotExistsAsync(cancellationToken: Ct);
        var etags = new Dictionary<string, string>();
        foreach (string name in names)
        {
            etags[name] = Quoted((await input.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(jpeg), overwrite: true, Ct)).Value.ETag.ToString());
        }

        var logs = new CapturingLoggerProvider();
        await using TestHost host = await TestHost.StartAsync(
            new TestHostOptions
            {
                BlobTriggers = true,
                Settings = Storage.HostSettings(NewHostId()),
                Configure = b =>
                {
                    b.Logging.AddProvider(logs);
                    b.Logging.AddFilter<CapturingLoggerProvider>(category: null, LogLevel.Trace);
                },
            },
            Ct);

        BlobContainerClient rejected = Storage.Blobs.GetBlobContainerClient("images-rejected");
        foreach (string name in names)
        {
            ImagePipelineResult result = await ResultAsync(host, "images-in", name, etags[name]);
            Assert.AreEqual(ImageOutcome.Rejected, result.Outcome, BlobNames.ForLog(name));
            Assert.AreEqual(RejectionCode.BadName, result.Code, BlobNames.ForLog(name));
            StringAssert.Contains(result.Reason, "control character U+", StringComparison.Ordinal);
            using JsonDocument reason = JsonDocument.Parse((await rejected.GetBlobClient(BlobNames.BadNameReasonName(name)).DownloadContentAsync(Ct)).Value.Content);
            Assert.AreEqual(name, reason.RootElement.GetProperty("name").GetString());
            Assert.IsFalse((await rejected.GetBlobClient(name).ExistsAsync(Ct)).Value, "no copy is written under the name itself");
        }

        Assert.IsFalse(
            await AnyBlobAsync(Storage.Blobs.GetBlobContainerClient("images-out"), b => b.Any(char.IsControl)),
            "no output name holds a control character");
        List<CapturedLog> raw = logs.All().Where(l => (l.Message.Contains(id, StringComparison.Ordinal) && l.Message.Any(char.IsControl)) || ControlInName(l)).ToList();
        Assert.IsEmpty(raw, string.Join("\n", raw.Select(l => $"{l.EventId}: {BlobNames.ForLog(l.Message)}")));
        Assert.IsTrue(logs.All().Any(l => l.Message.Contains($"tab\\u0009{id}.jpg", StringComparison.Ordinal)), "the start of the TAB name is logged, escaped");
    }

    /// <summary>
    /// Item 3 for the fraud scan. Files with valid events under names that break the rule, dropped into market-events: each
    /// scan completes Rejected with the file counted and never read (0 lines), the reason naming it escaped, and its
    /// <c>summary.json</c> under the scan id (a hash) listing it with the code BadName; nothing is created where a
    /// <c>..</c> would lead. A scan of the whole container over HTTP reports the one good file and rejects every bad name.
    /// </summary>
    [TestMethod]
    public async Task FraudScan_HostileNames_EndRejectedWithASummary_NeverRead()
    {
        string id = Guid.NewGuid().ToString("N")[..8];
        (byte[] events, _) = FraudScanEndToEndTests.GeneratedDay(events: 200, seed: 11);
        (string Path, string Stored)[] names = HostileNames(id, ".csv");
        Dictionary<string, string> etags = await UploadHostileAsync(Storage.Blobs.GetBlobContainerClient(FraudScanOrchestrator.InputContainer), names, events);
        await using TestHost host = await TestHost.StartAsync(new TestHostOptions { BlobTriggers = true, Settings = Storage.HostSettings(NewHostId()) }, Ct);

        BlobContainerClient reports = Storage.Blobs.GetBlobContainerClient("fraud-reports");
        foreach ((_, string stored) in names)
        {
            OrchestrationMetadata done = await FinishedAsync(host, FraudScanOrchestrator.InputContainer, stored, etags[stored], FraudScanOrchestrator.Workflow);
            Assert.AreEqual(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus, $"{BlobNames.ForLog(stored)}: {done.FailureDetails}");
            FraudScanResult result = done.ReadOutputAs<FraudScanResult>()!;
            Assert.AreEqual(ScanOutcome.Rejected, result.Outcome, BlobNames.ForLog(done.SerializedOutput));
            Assert.AreEqual((1, 1, 0L), (result.Files, result.RejectedFiles, result.EventsScanned), BlobNames.ForLog(stored));
            StringAssert.Contains(result.Reason, BlobNames.ForLog(stored), StringComparison.Ordinal);
            Assert.IsFalse(result.Reason!.Any(char.IsControl), "the reason holds the name escaped");
            Assert.MatchesRegex("^[0-9a-f]{32}$", result.ScanId, "the report folder is named from a hash");
            Assert.AreEqual($"fraud-reports/{result.ScanId}/", result.Report);
            using JsonDocument summary = JsonDocument.Parse((await reports.GetBlobClient($"{result.ScanId}/summary.json").DownloadContentAsync(Ct)).Value.Content);
            JsonElement file = summary.RootElement.GetProperty("files").EnumerateArray().Single();
            Assert.AreEqual($"{FraudScanOrchestrator.InputContainer}/{stored}", file.GetProperty("blob").GetString(), "the summary keeps the name as data");
            Assert.IsFalse(file.GetProperty("accepted").GetBoolean());
            Assert.AreEqual("BadName", file.GetProperty("code").GetString());
            Assert.AreEqual(0, file.GetProperty("lines").GetInt64(), "the file was never read");
        }

        Assert.IsFalse((await Storage.Blobs.GetBlobContainerClient($"escape-{id}").ExistsAsync(Ct)).Value, "no '..' reached another container");

        await Storage.Blobs.GetBlobContainerClient(FraudScanOrchestrator.InputContainer).GetBlobClient($"good-{id}/desk.csv").UploadAsync(BinaryData.FromBytes(events), Ct);
        using HttpResponseMessage response = await host.Http.PostAsJsonAsync(new Uri("api/workflows/fraud-scan", UriKind.Relative), new { prefix = "" }, Ct);
        Assert.AreEqual(HttpStatusCode.Accepted, response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
        using JsonDocument started = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        OrchestrationMetadata whole = await CompleteAsync(host.Client, started.RootElement.GetProperty("id").GetString()!, Ct, RunPatience);
        FraudScanResult scan = whole.ReadOutputAs<FraudScanResult>()!;
        Assert.AreEqual(ScanOutcome.Reported, scan.Outcome, BlobNames.ForLog(whole.SerializedOutput));
        Assert.AreEqual((names.Length + 1, names.Length), (scan.Files, scan.RejectedFiles), "the good file is scanned, every bad name rejected");
        Assert.AreEqual(FraudScanEndToEndTests.DataLines(events), scan.EventsScanned, "only the good file's events");
    }

    /// <summary>
    /// Item 3 for the blob-digest sample: names that break the rule, dropped into samples-in, complete Rejected (BadName)
    /// without being read, with a reason file in samples-out under a name derived from a hash, holding the original name.
    /// </summary>
    [TestMethod]
    public async Task BlobDigest_HostileNames_EndRejectedWithAReasonFile()
    {
        string id = Guid.NewGuid().ToString("N")[..8];
        (string Path, string Stored)[] names = HostileNames(id, ".txt");
        Dictionary<string, string> etags = await UploadHostileAsync(Storage.SamplesIn, names, RandomBytes(100));
        await using TestHost host = await TestHost.StartAsync(new TestHostOptions { BlobTriggers = true, Settings = Storage.HostSettings(NewHostId()) }, Ct);

        foreach ((_, string stored) in names)
        {
            OrchestrationMetadata done = await FinishedAsync(host, BlobDigestOrchestrator.InputContainer, stored, etags[stored], "blob-digest");
            Assert.AreEqual(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus, $"{BlobNames.ForLog(stored)}: {done.FailureDetails}");
            BlobDigestResult result = done.ReadOutputAs<BlobDigestResult>()!;
            Assert.AreEqual(BlobDigestOutcome.Rejected, result.Outcome, BlobNames.ForLog(done.SerializedOutput));
            Assert.IsNull(result.Digest, "nothing was read");
            string reasonName = BlobNames.BadNameReasonName(stored);
            Assert.AreEqual($"{BlobDigestOrchestrator.OutputContainer}/{reasonName}", result.Output);
            StringAssert.Contains(result.Reason, BlobNames.ForLog(stored), StringComparison.Ordinal);
            using JsonDocument reason = JsonDocument.Parse((await Storage.SamplesOut.GetBlobClient(reasonName).DownloadContentAsync(Ct)).Value.Content);
            Assert.AreEqual(stored, reason.RootElement.GetProperty("name").GetString(), "the reason file keeps the original name as data");
            Assert.AreEqual("BadName", reason.RootElement.GetProperty("code").GetString());
        }

        Assert.IsFalse(await AnyBlobAsync(Storage.SamplesOut, b => b.Any(char.IsControl) || b.Contains("..", StringComparison.Ordinal)), "no output is named from a bad name");
        Assert.IsFalse((await Storage.Blobs.GetBlobContainerClient($"escape-{id}").ExistsAsync(Ct)).Value, "no '..' reached another container");
    }

    /// <summary>
    /// Item 4. A blob whose name holds ESC (and another with SOH) makes Azurite's listing of samples-in fail; the blobs
    /// before, between and after them are still handled, each bad one is parked in the poison queue with the real cause
    /// (shown by the poison API) and logged escaped, and once they are deleted the watcher lists in full again by itself.
    /// </summary>
    [TestMethod]
    public async Task UnlistableNames_DoNotStopTheOthers_AreParkedWithTheCause_AndTheWatcherRecovers()
    {
        string id = Guid.NewGuid().ToString("N")[..8];
        string[] good = [$"a-{id}.txt", $"m-{id}.txt", $"z-{id}.txt"];
        string[] bad = [$"e\u001b{id}.txt", $"q\u0001{id}.txt"];
        foreach (string name in good.Concat(bad))
        {
            await Storage.UploadAsync(name, [1, 2, 3], Ct);
        }

        var handler = new ScriptedBlobTriggerHandler(0, _ => false);
        var logs = new CapturingLoggerProvider();
        string hostId = NewHostId();
        await using TestHost host = await TestHost.StartAsync(
            new TestHostOptions
            {
                BlobTriggers = true,
                Settings = Storage.HostSettings(hostId),
                Configure = b =>
                {
                    b.Services.AddSingleton<IBlobTriggerHandler>(handler);
                    b.Logging.AddProvider(logs);
                    b.Logging.AddFilter<CapturingLoggerProvider>(category: null, LogLevel.Trace);
                },
            },
            Ct);

        foreach (string name in good)
        {
            await Eventually.HoldsAsync(() => Task.FromResult(handler.Calls.CallsFor(name) == 1), RunPatience, $"'{name}' to be handled despite the unlistable names");
        }

        foreach (string name in bad)
        {
            await Eventually.HoldsAsync(async () => (await Storage.PoisonMessagesForAsync(name, Ct)).Count == 1, RunPatience, $"'{BlobNames.ForLog(name)}' to be parked");
            PoisonQueue.Message message = (await Storage.PoisonMessagesForAsync(name, Ct)).Single();
            StringAssert.Contains(message.Reason, "cannot list", StringComparison.Ordinal);
            StringAssert.Contains(message.Reason, $"U+{(int)name[1]:X4}", StringComparison.Ordinal);
            Assert.AreEqual(0, handler.Calls.CallsFor(name), "an unlistable blob is parked, not started");
            Assert.IsTrue(
                logs.With(2110).Any(l => l.Message.Contains(BlobNames.ForLog(name), StringComparison.Ordinal)),
                "the log names the blob, escaped, and the cause");
        }

        Assert.IsFalse(
            logs.All().Any(l => l.Message.Contains("cannot reach", StringComparison.Ordinal) || (l.EventId.Id == 2101 && l.Message.Contains("Root element", StringComparison.Ordinal))),
            "no 'container could not be reached' for a name in the way");
        using (HttpResponseMessage response = await host.Http.GetAsync(new Uri("api/blob-triggers/poison", UriKind.Relative), Ct))
        {
            Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
            string body = await response.Content.ReadAsStringAsync(Ct);
            StringAssert.Contains(body, "cannot list", StringComparison.Ordinal);
        }

        foreach (string name in bad)
        {
            await Storage.SamplesIn.GetBlobClient(name).DeleteAsync(cancellationToken: Ct);
        }

        await Eventually.HoldsAsync(() => Task.FromResult(logs.With(2111).Count > 0), RunPatience, "the watcher to list samples-in in full again");
        string later = $"later-{id}.txt";
        await Storage.UploadAsync(later, [4], Ct);
        await Eventually.HoldsAsync(() => Task.FromResult(handler.Calls.CallsFor(later) == 1), RunPatience, "a new upload to be handled after the recovery");
    }

    static bool ControlInName(CapturedLog log) =>
        log.Values.TryGetValue("Name", out object? value) && value is string name && name.Any(char.IsControl);

    /// <summary>The escaped path for a name whose dots must survive the URL as they are (System.Uri would resolve them).</summary>
    static string Raw(string name) => string.Join("/", name.Split('/').Select(s => s.Replace("\\", "%5C", StringComparison.Ordinal))).Replace("../", "..%2F", StringComparison.Ordinal);

    /// <summary>A client whose URL is exactly <paramref name="escapedPath"/> under the container (as curl would send it).</summary>
    static BlobClient RawBlob(BlobContainerClient container, string escapedPath) =>
        new(new Uri($"{container.Uri.AbsoluteUri}/{escapedPath}"), new StorageSharedKeyCredential(AzuriteLauncher.DevelopmentAccountName, AzuriteLauncher.DevelopmentAccountKey));

    /// <summary>
    /// Names that break the rule as (escaped path to upload, name Azurite stores): <c>..</c> climbing out of the container
    /// (also from a date folder), a leading <c>/</c>, TAB, LF and DEL.
    /// </summary>
    static (string Path, string Stored)[] HostileNames(string id, string extension) =>
    [
        (Raw($"../../escape-{id}/day{extension}"), $"../../escape-{id}/day{extension}"),
        (Raw($"2026-11-24/../../escape-{id}/desk{extension}"), $"2026-11-24/../../escape-{id}/desk{extension}"),
        ($"%2Flead-{id}{extension}", $"/lead-{id}{extension}"),
        .. new[] { $"tab\t{id}{extension}", $"lf\n{id}{extension}", $"del\u007f{id}{extension}" }.Select(n => (Uri.EscapeDataString(n), n)),
    ];

    /// <summary>Uploads <paramref name="content"/> under each path and returns the stored names' ETags, checking Azurite kept each name.</summary>
    async Task<Dictionary<string, string>> UploadHostileAsync(BlobContainerClient container, IEnumerable<(string Path, string Stored)> names, byte[] content)
    {
        await container.CreateIfNotExistsAsync(cancellationToken: Ct);
        foreach ((string path, _) in names)
        {
            await RawBlob(container, path).UploadAsync(BinaryData.FromBytes(content), overwrite: true, Ct);
        }

        Dictionary<string, string> etags = await ListedETagsAsync(container);
        foreach ((_, string stored) in names)
        {
            Assert.IsTrue(etags.ContainsKey(stored), $"precondition: Azurite stores '{BlobNames.ForLog(stored)}' under that name");
        }

        return etags;
    }

    async Task<Dictionary<string, string>> ListedETagsAsync(BlobContainerClient container)
    {
        var etags = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (BlobItem item in container.GetBlobsAsync(cancellationToken: Ct))
        {
            etags[item.Name] = BlobRef.QuotedETag(item.Properties.ETag!.Value);
        }

        return etags;
    }

    async Task<ImagePipelineResult> ResultAsync(TestHost host, string container, string name, string etag)
    {
        string instanceId = BlobTriggerStarter.InstanceIdFor(ImagePipelineOrchestrator.Workflow, new BlobRef(container, name, etag));
        await Eventually.ReturnsAsync(() => host.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, Ct), RunPatience, $"a run for '{BlobNames.ForLog(name)}'");
        OrchestrationMetadata done = await CompleteAsync(host.Client, instanceId, Ct, RunPatience);
        return done.ReadOutputAs<ImagePipelineResult>()!;
    }

    /// <summary>The run the trigger starts for this version, once it has ended (completed or failed).</summary>
    async Task<OrchestrationMetadata> FinishedAsync(TestHost host, string container, string name, string etag, string workflow = ImagePipelineOrchestrator.Workflow)
    {
        string instanceId = BlobTriggerStarter.InstanceIdFor(workflow, new BlobRef(container, name, etag));
        await Eventually.ReturnsAsync(() => host.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, Ct), RunPatience, $"a run for '{BlobNames.ForLog(name)}'");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(RunPatience);
        return await host.Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, deadline.Token);
    }

    async Task<bool> AnyBlobAsync(BlobContainerClient container, Func<string, bool> predicate)
    {
        if (!(await container.ExistsAsync(Ct)).Value)
        {
            return false;
        }

        await foreach (BlobItem item in container.GetBlobsAsync(cancellationToken: Ct))
        {
            if (predicate(item.Name))
            {
                return true;
            }
        }

        return false;
    }

    static byte[] Jpeg(int width, int height)
    {
        using Image noise = Image.Gaussnoise(width, height, mean: 128, sigma: 40);
        using Image rgb = noise.Bandjoin(noise, noise);
        using Image cast = rgb.Cast(Enums.BandFormat.Uchar);
        using Image srgb = cast.Copy(interpretation: Enums.Interpretation.Srgb);
        return srgb.JpegsaveBuffer(q: 90);
    }
}

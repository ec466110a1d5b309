using System.Collections.Concurrent;
using System.Security.Cryptography;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestration.LocalHost.Azurite;
using Orchestration.LocalHost.Tests.Infrastructure;
using Orchestration.LocalHost.Triggers;
using Orchestration.Workflows.Catalog;
using Orchestration.Workflows.Samples;
using Orchestration.Workflows.Storage;
using Orchestration.Workflows.Triggers;

namespace Orchestration.LocalHost.Tests.Triggers;

/// <summary>
/// A dedicated, in-memory Azurite for one test class. The watched container (<c>samples-in</c>) is fixed by the
/// catalog, so blob-trigger tests cannot share the assembly's account without seeing each other's uploads.
/// </summary>
internal sealed class DedicatedStorage : IAsyncDisposable
{
    readonly AzuriteLauncher azurite;

    DedicatedStorage(AzuriteLauncher azurite)
    {
        this.azurite = azurite;
        Blobs = new BlobServiceClient(azurite.ConnectionString);

        // The product reads and writes its queues Base64-encoded (as the Functions host does).
        Queues = new QueueServiceClient(azurite.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
    }

    public string ConnectionString => azurite.ConnectionString;

    public BlobServiceClient Blobs { get; }

    public QueueServiceClient Queues { get; }

    public BlobContainerClient SamplesIn => Blobs.GetBlobContainerClient(BlobDigestOrchestrator.InputContainer);

    public BlobContainerClient SamplesOut => Blobs.GetBlobContainerClient(BlobDigestOrchestrator.OutputContainer);

    public static async Task<DedicatedStorage> StartAsync(CancellationToken cancellationToken) =>
        new(await AzuriteLauncher.StartAsync(new AzuriteLaunchOptions { InMemory = true, StartTimeout = Deadlines.Short }, NullLogger.Instance, cancellationToken));

    /// <summary>Settings that point a test host at this account with its own receipt namespace.</summary>
    public Dictionary<string, string> HostSettings(string hostId) => new()
    {
        ["AzureWebJobsStorage"] = ConnectionString,
        ["BlobTriggers:HostId"] = hostId,
    };

    /// <summary>Uploads (overwriting) and returns the new version's ETag, quoted as the watcher passes it on.</summary>
    public async Task<string> UploadAsync(string name, byte[] content, CancellationToken cancellationToken)
    {
        // The watcher creates samples-in on its first round, which may not have finished when the host's start returns.
        await SamplesIn.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        BlobContentInfo info = (await SamplesIn.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(content), overwrite: true, cancellationToken)).Value;
        return TriggerTestData.Quoted(info.ETag.ToString());
    }

    /// <summary>The receipt the watcher of <paramref name="hostId"/> keeps for one blob version, or null when there is none.</summary>
    public Task<BlobReceipt?> ReadReceiptAsync(string hostId, string name, string etag, CancellationToken cancellationToken)
    {
        string receiptName = BlobReceipts.ReceiptName(hostId, BlobTriggerFunctions.SamplesIn, etag, BlobDigestOrchestrator.InputContainer, name);
        return BlobReceipts.ReadAsync(Blobs.GetBlobContainerClient(BlobReceipts.ContainerName).GetBlobClient(receiptName), cancellationToken);
    }

    /// <summary>The poison queue's messages (peeked, at most 32) that name <paramref name="blobName"/>.</summary>
    public async Task<IReadOnlyList<PoisonQueue.Message>> PoisonMessagesForAsync(string blobName, CancellationToken cancellationToken)
    {
        QueueClient queue = Queues.GetQueueClient(PoisonQueue.Name);
        if (!(await queue.ExistsAsync(cancellationToken)).Value)
        {
            return [];
        }

        var messages = (await queue.PeekMessagesAsync(maxMessages: 32, cancellationToken)).Value;
        return messages
            .Select(m => m.Body.ToObjectFromJson<PoisonQueue.Message>()!)
            .Where(m => m.BlobName == blobName)
            .ToList();
    }

    public ValueTask DisposeAsync() => azurite.DisposeAsync();
}

internal static class TriggerTestData
{
    /// <summary>A start-up or a few retries on a loaded 2-core box (see <see cref="Infrastructure.Patience"/>); the happy path takes about a second.</summary>
    public static readonly TimeSpan Patience = Deadlines.Short;

    /// <summary>A fresh receipt namespace (BlobTriggers:HostId allows 1-32 of [a-z0-9-]).</summary>
    public static string NewHostId() => $"t{Guid.NewGuid():N}"[..17];

    /// <summary>A blob name no other test uses.</summary>
    public static string UniqueName(string stem) => $"{stem}-{Guid.NewGuid():N}.txt";

    public static string Quoted(string etag) => etag.StartsWith('"') ? etag : $"\"{etag}\"";

    public static string InstanceIdFor(string name, string etag) =>
        BlobTriggerStarter.InstanceIdFor("blob-digest", new BlobRef(BlobDigestOrchestrator.InputContainer, name, etag));

    public static string Sha256Hex(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    public static byte[] RandomBytes(int length) => RandomNumberGenerator.GetBytes(length);

    /// <summary>Waits for the instance to finish and asserts it completed, showing the failure otherwise.</summary>
    public static async Task<OrchestrationMetadata> CompleteAsync(DurableTaskClient client, string instanceId, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        TimeSpan patience = timeout ?? Patience;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(patience);
        OrchestrationMetadata done;
        try
        {
            done = await client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, deadline.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            OrchestrationMetadata? now = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
            throw new AssertFailedException($"Instance {instanceId} did not finish within {patience.TotalSeconds:0} s: it is {now?.RuntimeStatus.ToString() ?? "missing"}.", ex);
        }

        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus, $"{instanceId}: {done.FailureDetails}");
        return done;
    }

    /// <summary>Every digest instance of the hub whose input names one of <paramref name="names"/>.</summary>
    public static async Task<List<OrchestrationMetadata>> DigestInstancesForAsync(DurableTaskClient client, IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        var found = new List<OrchestrationMetadata>();
        var query = new OrchestrationQuery { InstanceIdPrefix = "blob-digest-", FetchInputsAndOutputs = true, PageSize = 500 };
        await foreach (OrchestrationMetadata instance in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
        {
            if (instance.ReadInputAs<BlobRef>() is { } input && names.Contains(input.Name))
            {
                found.Add(instance);
            }
        }

        return found;
    }
}

/// <summary>Counts handler calls per blob name (and per host); shared by the handlers of several hosts.</summary>
internal sealed class BlobCallCounter
{
    readonly ConcurrentDictionary<string, int> calls = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<(string Blob, string Host), int> callsByHost = new();

    public int Record(string blobName, string host)
    {
        callsByHost.AddOrUpdate((blobName, host), 1, (_, n) => n + 1);
        return calls.AddOrUpdate(blobName, 1, (_, n) => n + 1);
    }

    public int CallsFor(string blobName) => calls.GetValueOrDefault(blobName);

    /// <summary>How many calls for <paramref name="blobNames"/> each host made.</summary>
    public IReadOnlyDictionary<string, int> ByHost(IReadOnlyCollection<string> blobNames) =>
        callsByHost.Where(kv => blobNames.Contains(kv.Key.Blob))
            .GroupBy(kv => kv.Key.Host, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value), StringComparer.Ordinal);
}

/// <summary>Counts every call, then hands the blob to the real handler (the one the host would use).</summary>
internal sealed class CountingBlobTriggerHandler(BlobCallCounter counter, string host, IBlobTriggerHandler inner) : IBlobTriggerHandler
{
    public Task<string> HandleAsync(BlobTriggerDefinition trigger, BlobRef blob, CancellationToken cancellationToken)
    {
        counter.Record(blob.Name, host);
        return inner.HandleAsync(trigger, blob, cancellationToken);
    }

    /// <summary>Registers a counting handler in front of this host's own <see cref="StarterBlobTriggerHandler"/>.</summary>
    public static void Register(IServiceCollection services, BlobCallCounter counter, string host) =>
        services.AddSingleton<IBlobTriggerHandler>(sp => new CountingBlobTriggerHandler(
            counter,
            host,
            new StarterBlobTriggerHandler(sp.GetRequiredService<BlobTriggerStarter>(), sp.GetRequiredService<DurableTaskClient>())));
}

/// <summary>
/// Throws <c>InvalidOperationException("boom {name}")</c> for the first <paramref name="failuresBeforeSuccess"/> calls of
/// each blob it applies to, then returns a made-up instance id. Blobs it does not apply to succeed at once.
/// </summary>
internal sealed class ScriptedBlobTriggerHandler(int failuresBeforeSuccess, Func<string, bool> appliesTo) : IBlobTriggerHandler
{
    public BlobCallCounter Calls { get; } = new();

    public static string InstanceIdFor(string blobName) => $"fake-{blobName}";

    public Task<string> HandleAsync(BlobTriggerDefinition trigger, BlobRef blob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        int call = Calls.Record(blob.Name, "scripted");
        if (appliesTo(blob.Name) && call <= failuresBeforeSuccess)
        {
            throw new InvalidOperationException($"boom {blob.Name}");
        }

        return Task.FromResult(InstanceIdFor(blob.Name));
    }
}

/// <summary>Keeps every log entry of the host (whatever the configured levels) so tests can wait for events.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    readonly ConcurrentQueue<CapturedLog> entries = new();

    public IReadOnlyList<CapturedLog> With(int eventId) => entries.Where(e => e.EventId.Id == eventId).ToList();

    public IReadOnlyList<CapturedLog> All() => entries.ToList();

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, entries);

    public void Dispose()
    {
    }

    sealed class CapturingLogger(string category, ConcurrentQueue<CapturedLog> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal)
                : new Dictionary<string, object?>(StringComparer.Ordinal);
            entries.Enqueue(new CapturedLog(category, logLevel, eventId, formatter(state, exception), values, DateTimeOffset.UtcNow));
        }
    }
}

internal sealed record CapturedLog(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyDictionary<string, object?> Values, DateTimeOffset At);

/// <summary>
/// Base of the test classes that need storage of their own: one dedicated Azurite per derived class (the generic
/// parameter gives each its own static), started before its first test and stopped after its last.
/// </summary>
public abstract class DedicatedStorageTest<TSelf>
    where TSelf : DedicatedStorageTest<TSelf>
{
    static DedicatedStorage? storage;

    public TestContext TestContext { get; set; } = null!;

    protected CancellationToken Ct => TestContext.CancellationToken;

    internal static DedicatedStorage Storage => storage ?? throw new InvalidOperationException("ClassInitialize did not run.");

    [ClassInitialize(InheritanceBehavior.BeforeEachDerivedClass)]
    public static async Task StartStorageAsync(TestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        storage = await DedicatedStorage.StartAsync(context.CancellationToken);
    }

    [ClassCleanup(InheritanceBehavior.BeforeEachDerivedClass)]
    public static async Task StopStorageAsync()
    {
        if (storage is not null)
        {
            await storage.DisposeAsync();
        }
    }
}

using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;
using Orchestration.Workflows.Catalog;
using Orchestration.Workflows.Storage;
using Orchestration.Workflows.Triggers;

namespace Orchestration.LocalHost.Triggers;

/// <summary>
/// The local host's blob triggers, with the Functions host's semantics: every poll interval each watched container is
/// listed, and each blob version (name + ETag) not yet settled is handed to <see cref="IBlobTriggerHandler"/> once.
/// Receipts in <c>azure-webjobs-hosts</c> (see <see cref="BlobReceipts"/>) make that survive restarts and a second host
/// on the same account; failures are retried with a doubling delay and, after <c>MaxDequeueCount</c> attempts, parked
/// in the <c>webjobs-blobtrigger-poison</c> queue. Every blob version ends Started or Poisoned.
/// </summary>
internal sealed class BlobWatcher(
    IOptions<BlobWatcherOptions> options,
    BlobServiceClient blobs,
    QueueServiceClient queues,
    IBlobTriggerHandler handler,
    TimeProvider time,
    IConfiguration configuration,
    ILogger<BlobWatcher> logger) : BackgroundService
{
    /// <summary>Receipt and start calls are I/O: a few at a time keeps a burst of uploads quick without flooding storage.</summary>
    const int MaxParallelism = 8;

    /// <summary>Poison messages carry the reason in full up to this length (a queue message holds 48 KB before Base64).</summary>
    const int MaxPoisonReasonLength = 4096;

    /// <summary>The longest back-off between two attempts, however many failures and whatever the base delay.</summary>
    static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(1);

    /// <summary>A start that takes longer counts as a failure; well inside the receipt lease, so the outcome is written under it.</summary>
    static readonly TimeSpan HandlerTimeout = BlobReceipts.LeaseDuration * 0.75;

    /// <summary>While a container holds unlistable blobs, every this many rounds its listing searches for them afresh.</summary>
    const int SearchAfreshEvery = 30;

    /// <summary>Releasing a lease also happens on shutdown, when the stopping token is already cancelled.</summary>
    static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(5);

    readonly BlobWatcherOptions settings = options.Value;
    readonly BlobReceipts receipts = new(blobs.GetBlobContainerClient(BlobReceipts.ContainerName), options.Value.HostId);
    readonly Watch[] watches = WorkflowCatalog.BlobTriggers
        .Select(t => new Watch(t, blobs.GetBlobContainerClient(t.Container), IsolatingListerFor(configuration, t.Container)))
        .ToArray();
    bool receiptsContainerReady;
    bool poisonQueueReady;
    bool listingFailing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (watches.Length == 0)
        {
            return;
        }

        TimeSpan interval = TimeSpan.FromSeconds(settings.PollIntervalSeconds);
        Logs.BlobWatcherStarted(logger, string.Join(", ", watches.Select(w => w.Trigger.Container)), interval.TotalSeconds, BlobReceipts.ContainerName, settings.HostId);
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            do
            {
                await PollAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>One round: list every watched container, then handle each blob version that is new or due for a retry.</summary>
    internal async Task PollAsync(CancellationToken cancellationToken)
    {
        if (!await EnsureReceiptsContainerAsync(cancellationToken))
        {
            return;
        }

        var work = new List<WorkItem>();
        bool listed = true;
        foreach (Watch watch in watches)
        {
            listed &= await ListAsync(watch, work, cancellationToken);
        }

        if (listed && listingFailing)
        {
            listingFailing = false;
            Logs.BlobListingRecovered(logger);
        }

        if (work.Count == 0)
        {
            return;
        }

        var outcomes = new Outcome[work.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, work.Count),
            new ParallelOptions { MaxDegreeOfParallelism = MaxParallelism, CancellationToken = cancellationToken },
            async (i, token) => outcomes[i] = await ProcessAsync(work[i], token));

        for (int i = 0; i < work.Count; i++)
        {
            Apply(work[i], outcomes[i]);
        }
    }

    async Task<bool> EnsureReceiptsContainerAsync(CancellationToken cancellationToken)
    {
        if (receiptsContainerReady)
        {
            return true;
        }

        try
        {
            await receipts.Container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            receiptsContainerReady = true;
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            ListingFailed(ex, BlobReceipts.ContainerName);
            return false;
        }
    }

    /// <summary>
    /// With a connection string (Azurite, local runs) a lister that steps over a name the listing cannot return; without
    /// one (identity-based, i.e. Azure, which escapes such names) none is needed.
    /// </summary>
    static IsolatingLister? IsolatingListerFor(IConfiguration configuration, string container) =>
        configuration.GetStorageConnection() is { } connection
            ? new IsolatingLister(new BlobServiceClient(connection, new BlobClientOptions { Retry = { MaxRetries = 0 } }).GetBlobContainerClient(container))
            : null;

    /// <summary>
    /// Lists one container in full and queues the blob versions to handle; false when storage failed. A blob the listing
    /// cannot return (see <see cref="IsolatingLister"/>) does not stop the others: it is queued to be parked as poison.
    /// </summary>
    async Task<bool> ListAsync(Watch watch, List<WorkItem> work, CancellationToken cancellationToken)
    {
        try
        {
            if (!watch.ContainerReady)
            {
                await watch.Container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                watch.ContainerReady = true;
            }

            (IReadOnlyList<BlobItem> items, IReadOnlyList<string> unlistable) = await ListBlobsAsync(watch, cancellationToken);
            DateTimeOffset now = time.GetUtcNow();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var found = new List<WorkItem>();
            var versions = items.Where(i => i.Properties.ETag is not null).Select(i => (i.Name, ETag: BlobRef.QuotedETag(i.Properties.ETag!.Value), Unlistable: (string?)null)).ToList();
            seen.UnionWith(items.Select(i => i.Name));
            foreach (string name in unlistable)
            {
                seen.Add(name);
                string cause = $"storage cannot list it because {BlobNames.Problem(name) ?? "of its name"}, which a listing's XML cannot carry (Azurite; Azure escapes such names). Delete it or upload it again under a name without control characters";
                if (watch.Unlistable.Add(name))
                {
                    Logs.BlobUnlistable(logger, watch.Trigger.Container, BlobNames.ForLog(name), cause, PoisonQueue.Name);
                }

                try
                {
                    BlobProperties properties = (await watch.Container.GetBlobClient(name).GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
                    versions.Add((name, BlobRef.QuotedETag(properties.ETag), cause));
                }
                catch (RequestFailedException ex) when (ex.Status == 404)
                {
                    // Deleted since it was found: the next round lists without it.
                }
            }

            if (watch.Unlistable.RemoveWhere(name => !unlistable.Contains(name)) > 0 && watch.Unlistable.Count == 0)
            {
                Logs.BlobListingWhole(logger, watch.Trigger.Container);
            }

            foreach ((string name, string etag, string? cause) in versions)
            {
                if (watch.Settled.TryGetValue(name, out string? settled) && settled == etag)
                {
                    continue;
                }

                if (watch.Pending.TryGetValue(name, out Pending? pending) && pending.ETag == etag && pending.NotBefore > now)
                {
                    continue;
                }

                found.Add(new WorkItem(watch, name, etag, cause));
            }

            // Forget deleted blobs, so the maps stay as large as the containers.
            watch.Settled.Keys.Where(name => !seen.Contains(name)).ToList().ForEach(name => watch.Settled.Remove(name));
            watch.Pending.Keys.Where(name => !seen.Contains(name)).ToList().ForEach(name => watch.Pending.Remove(name));
            work.AddRange(found);
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            if (ex is RequestFailedException { Status: 404 })
            {
                watch.ContainerReady = false; // deleted under us: create it again next round
            }

            ListingFailed(ex, watch.Trigger.Container);
            return false;
        }
    }

    /// <summary>The plain listing; once it has failed for a name (or while a known unlistable blob is there), the isolating one.</summary>
    async Task<(IReadOnlyList<BlobItem> Items, IReadOnlyList<string> Unlistable)> ListBlobsAsync(Watch watch, CancellationToken cancellationToken)
    {
        if (watch.Lister is not null && watch.Unlistable.Count > 0)
        {
            // Known names are stepped over without a search; every so often a round searches afresh, in case a new
            // unlistable name came in just before a known one (the blobs between would otherwise wait).
            IReadOnlyCollection<string> known = ++watch.IsolatedRounds % SearchAfreshEvery == 0 ? [] : watch.Unlistable;
            IsolatingLister.Listing listing = await watch.Lister.ListAsync(known, cancellationToken);
            return (listing.Blobs, listing.Unlistable);
        }

        var items = new List<BlobItem>();
        try
        {
            await foreach (BlobItem item in watch.Container.GetBlobsAsync(new GetBlobsOptions(), cancellationToken))
            {
                items.Add(item);
            }

            return (items, []);
        }
        catch (Exception ex) when (watch.Lister is not null && IsolatingLister.MayBeAName(ex) && !cancellationToken.IsCancellationRequested)
        {
            IsolatingLister.Listing listing = await watch.Lister.ListAsync(watch.Unlistable, cancellationToken);
            return (listing.Blobs, listing.Unlistable);
        }
    }

    void ListingFailed(Exception ex, string container)
    {
        if (listingFailing)
        {
            Logs.BlobListingStillFailing(logger, container, ex.Message);
            return;
        }

        listingFailing = true;
        Logs.BlobListingFailed(logger, ex, container, ex.Message);
    }

    /// <summary>Handles one blob version unless its receipt says it is settled or another host holds it.</summary>
    async Task<Outcome> ProcessAsync(WorkItem item, CancellationToken cancellationToken)
    {
        BlobTriggerDefinition trigger = item.Watch.Trigger;
        BlobClient receipt = receipts.For(trigger.FunctionName, trigger.Container, item.Name, item.ETag);
        try
        {
            // Unleased first look: after a restart, settled blobs cost this one call each and no lease.
            BlobReceipt? state = await BlobReceipts.ReadAsync(receipt, cancellationToken);
            if ((Settled(item, state) ?? Due(state)) is { } early)
            {
                return early;
            }

            if (state is null)
            {
                await BlobReceipts.CreateAsync(receipt, trigger.Container, item.Name, cancellationToken);
            }

            BlobLeaseClient? lease = await BlobReceipts.TryLeaseAsync(receipt, cancellationToken);
            if (lease is null)
            {
                Logs.BlobReceiptLeased(logger, trigger.Container, BlobNames.ForLog(item.Name), item.ETag);
                return Outcome.Busy;
            }

            try
            {
                return await ProcessLeasedAsync(item, receipt, lease.LeaseId, cancellationToken);
            }
            finally
            {
                await ReleaseAsync(item, lease);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Storage refused a receipt or the poison queue: nothing was decided, so the next round tries again.
            return Outcome.StorageFailed(ex);
        }
    }

    /// <summary>Under the receipt's lease: re-read it (another host may just have finished), then start, retry or poison.</summary>
    async Task<Outcome> ProcessLeasedAsync(WorkItem item, BlobClient receipt, string leaseId, CancellationToken cancellationToken)
    {
        BlobTriggerDefinition trigger = item.Watch.Trigger;
        BlobReceipt state = await BlobReceipts.ReadAsync(receipt, cancellationToken) ?? BlobReceipt.Empty;
        if ((Settled(item, state) ?? Due(state)) is { } early)
        {
            return early;
        }

        if (item.Unlistable is { } unlistable)
        {
            // Nothing to start: no run could list it either. Parked, with the cause, until it is deleted or renamed.
            await PoisonAsync(item, receipt, leaseId, state, unlistable, exception: null, cancellationToken);
            return Outcome.Settled;
        }

        if (state.Failures >= settings.MaxDequeueCount)
        {
            // A previous attempt failed for the last time but could not park the blob: finish that now.
            await PoisonAsync(item, receipt, leaseId, state, state.Reason ?? "unknown failure", exception: null, cancellationToken);
            return Outcome.Settled;
        }

        string instanceId;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(HandlerTimeout);
            instanceId = await handler.HandleAsync(trigger, new BlobRef(trigger.Container, item.Name, item.ETag), timeout.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Exception failure = ex is OperationCanceledException
                ? new TimeoutException($"The trigger did not finish within {HandlerTimeout.TotalSeconds} s.", ex)
                : ex;
            string reason = $"{failure.GetType().Name}: {failure.Message}";
            int failures = state.Failures + 1;
            if (failures >= settings.MaxDequeueCount)
            {
                BlobReceipt last = state with { Failures = failures, Reason = reason, RetryAfter = null };
                await BlobReceipts.WriteAsync(receipt, leaseId, last, cancellationToken);
                await PoisonAsync(item, receipt, leaseId, last, reason, failure, cancellationToken);
                return Outcome.Settled;
            }

            TimeSpan delay = RetryDelay(failures);
            DateTimeOffset retryAfter = time.GetUtcNow() + delay;
            await BlobReceipts.WriteAsync(receipt, leaseId, state with { Failures = failures, Reason = reason, RetryAfter = retryAfter }, cancellationToken);
            Logs.BlobTriggerFailed(logger, failure, trigger.FunctionName, trigger.Container, BlobNames.ForLog(item.Name), item.ETag, failures, settings.MaxDequeueCount, delay.TotalSeconds);
            return Outcome.RetryAt(retryAfter);
        }

        await BlobReceipts.WriteAsync(receipt, leaseId, state with { Status = BlobReceipts.Started, RetryAfter = null, InstanceId = instanceId }, cancellationToken);
        return Outcome.Settled;
    }

    Outcome? Settled(WorkItem item, BlobReceipt? state)
    {
        if (state is not { IsSettled: true })
        {
            return null;
        }

        Logs.BlobReceiptSettled(logger, item.Watch.Trigger.Container, BlobNames.ForLog(item.Name), item.ETag, state.Status);
        return Outcome.Settled;
    }

    /// <summary>The back-off a receipt asks for (it may have been written by another host), or null when an attempt is due.</summary>
    Outcome? Due(BlobReceipt? state) =>
        state?.RetryAfter is { } retryAfter && retryAfter > time.GetUtcNow() ? Outcome.RetryAt(retryAfter) : null;

    /// <summary>RetryDelaySeconds × 2^(failures − 1), at most an hour.</summary>
    TimeSpan RetryDelay(int failures)
    {
        double seconds = settings.RetryDelaySeconds * Math.Pow(2, Math.Min(failures - 1, 30));
        return seconds >= MaxRetryDelay.TotalSeconds ? MaxRetryDelay : TimeSpan.FromSeconds(seconds);
    }

    async Task PoisonAsync(WorkItem item, BlobClient receipt, string leaseId, BlobReceipt state, string reason, Exception? exception, CancellationToken cancellationToken)
    {
        BlobTriggerDefinition trigger = item.Watch.Trigger;
        string messageReason = reason.Length <= MaxPoisonReasonLength ? reason : reason[..MaxPoisonReasonLength];
        await SendPoisonAsync(PoisonQueue.Create(trigger.FunctionName, trigger.Container, item.Name, item.ETag, messageReason), cancellationToken);
        await BlobReceipts.WriteAsync(receipt, leaseId, state with { Status = BlobReceipts.Poisoned, RetryAfter = null }, cancellationToken);
        Logs.BlobPoisoned(logger, exception, trigger.FunctionName, trigger.Container, BlobNames.ForLog(item.Name), item.ETag, state.Failures, PoisonQueue.Name, reason);
    }

    async Task SendPoisonAsync(BinaryData message, CancellationToken cancellationToken)
    {
        QueueClient queue = queues.GetQueueClient(PoisonQueue.Name);
        if (!poisonQueueReady)
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            poisonQueueReady = true;
        }

        try
        {
            await queue.SendMessageAsync(message, visibilityTimeout: null, timeToLive: null, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Deleted since we created it.
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await queue.SendMessageAsync(message, visibilityTimeout: null, timeToLive: null, cancellationToken);
        }
    }

    async Task ReleaseAsync(WorkItem item, BlobLeaseClient lease)
    {
        using var timeout = new CancellationTokenSource(ReleaseTimeout);
        try
        {
            await lease.ReleaseAsync(conditions: null, timeout.Token);
        }
        catch (Exception ex)
        {
            // It lapses by itself within the lease duration.
            Logs.BlobReceiptReleaseFailed(logger, ex, item.Watch.Trigger.Container, BlobNames.ForLog(item.Name), item.ETag);
        }
    }

    void Apply(WorkItem item, Outcome outcome)
    {
        Watch watch = item.Watch;
        switch (outcome.Kind)
        {
            case OutcomeKind.Settled:
                watch.Settled[item.Name] = item.ETag;
                watch.Pending.Remove(item.Name);
                break;
            case OutcomeKind.RetryAt:
                watch.Pending[item.Name] = new Pending(item.ETag, outcome.NotBefore, ErrorLogged: false);
                break;
            case OutcomeKind.StorageFailed:
                bool logged = watch.Pending.TryGetValue(item.Name, out Pending? pending) && pending.ETag == item.ETag && pending.ErrorLogged;
                if (!logged)
                {
                    Logs.BlobReceiptFailed(logger, outcome.Error, watch.Trigger.FunctionName, watch.Trigger.Container, BlobNames.ForLog(item.Name), item.ETag);
                }

                watch.Pending[item.Name] = new Pending(item.ETag, DateTimeOffset.MinValue, ErrorLogged: true);
                break;
            case OutcomeKind.Busy:
            default:
                // Another host is on it: look again next round (its receipt will then say how it went).
                break;
        }
    }

    /// <summary>One trigger's container and what this process knows about its blobs.</summary>
    sealed class Watch(BlobTriggerDefinition trigger, BlobContainerClient container, IsolatingLister? lister)
    {
        public BlobTriggerDefinition Trigger { get; } = trigger;

        public BlobContainerClient Container { get; } = container;

        public IsolatingLister? Lister { get; } = lister;

        /// <summary>Names the listing could not return last round: while there are any, the isolating lister lists.</summary>
        public HashSet<string> Unlistable { get; } = new(StringComparer.Ordinal);

        public int IsolatedRounds { get; set; }

        public bool ContainerReady { get; set; }

        /// <summary>Name → the ETag whose receipt says Started or Poisoned: steady-state polling skips these without a call.</summary>
        public Dictionary<string, string> Settled { get; } = new(StringComparer.Ordinal);

        /// <summary>Name → a version that failed or could not be receipted, and when to try it again.</summary>
        public Dictionary<string, Pending> Pending { get; } = new(StringComparer.Ordinal);
    }

    sealed record Pending(string ETag, DateTimeOffset NotBefore, bool ErrorLogged);

    /// <param name="Unlistable">Why the listing could not return this blob (it is parked rather than started), or null.</param>
    sealed record WorkItem(Watch Watch, string Name, string ETag, string? Unlistable = null);

    enum OutcomeKind
    {
        Settled,
        RetryAt,
        Busy,
        StorageFailed,
    }

    sealed record Outcome(OutcomeKind Kind, DateTimeOffset NotBefore = default, Exception? Error = null)
    {
        public static Outcome Settled { get; } = new(OutcomeKind.Settled);

        public static Outcome Busy { get; } = new(OutcomeKind.Busy);

        public static Outcome RetryAt(DateTimeOffset notBefore) => new(OutcomeKind.RetryAt, notBefore);

        public static Outcome StorageFailed(Exception error) => new(OutcomeKind.StorageFailed, Error: error);
    }
}

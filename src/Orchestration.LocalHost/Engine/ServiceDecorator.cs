using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using DurableTask.AzureStorage;
using DurableTask.Core;
using DurableTask.Core.History;
using DurableTask.Core.Query;
using Microsoft.Extensions.Logging;

namespace Orchestration.LocalHost.Engine;

/// <summary>
/// Sits between the gRPC sidecar and the storage backend and fixes what the pairing gets wrong:
/// <list type="bullet">
/// <item>concurrency comes from <see cref="EngineOptions"/> and is enforced here with semaphores: the sidecar's own
/// dispatcher, once at its limit, re-checks only every 500 ms, which capped a 1,000-activity fan-out at ~200/s; it is told
/// the limit is unbounded and instead waits here for a free slot, woken the moment one frees up;</item>
/// <item>sub-orchestration tags arrive as a Protobuf MapField, which DurableTask.AzureStorage cannot deserialize
/// (poison message): they are copied into a plain dictionary;</item>
/// <item>the sidecar records <c>GrpcSubOrchestrationInstanceCreatedEvent</c>, a subclass without [DataContract], which
/// leaves the history row without an EventType: it is replaced by a plain <see cref="SubOrchestrationInstanceCreatedEvent"/>;</item>
/// <item>the sidecar never renews activity locks, so an activity running longer than the visibility timeout would run
/// twice: locks are renewed in the background until the activity completes;</item>
/// <item>the sidecar releases every session after each episode, so DurableTask.AzureStorage re-reads an orchestration's
/// whole history for every batch of results: sessions are kept open here instead (<see cref="SessionKeeper"/>);</item>
/// <item>DurableTask.AzureStorage keeps a failed orchestration's failure details only as "Type: message" in its output, so
/// the sidecar reported none: the whole failure (type, message, stack, inner failures) is written as the output instead
/// (<see cref="FailureRecord"/>) and turned back into failure details when an instance is read;</item>
/// <item>the sidecar's restart creates the new execution with no tags, and its GetInstance then fails (null MapField
/// entries) until the instance first runs: tags are never left null;</item>
/// <item>DurableTask.AzureStorage delays a timer message by <c>FireAt - now</c>, but queue visibility is whole seconds,
/// truncated, so timers fired up to a second early (a 1 s timer at once): on that backend a timer is sent one second
/// later, which makes it fire at or after its due time, never before.</item>
/// <item>a stop is bounded (<see cref="EngineOptions.StopTimeoutSeconds"/>): DurableTask.AzureStorage's own waits up to
/// 10 minutes for its partition manager and then throws, and throws a NullReferenceException when it was never started;
/// past the bound the stop is left to finish in the background and its partition leases lapse by themselves;</item>
/// <item>DurableTask.AzureStorage forgets an activity message it is running only when completing or abandoning it
/// reaches storage: after an outage it refused every redelivery of that message ("processed multiple times
/// concurrently") until the process restarted. When the abandon fails, the message is forgotten here, so its redelivery
/// (once its visibility lapses) runs the activity again.</item>
/// </list>
/// </summary>
internal sealed class ServiceDecorator(
    IOrchestrationService service,
    IOrchestrationServiceClient client,
    EngineOptions options,
    bool renewActivityLocks,
    ILogger logger)
    : IOrchestrationService, IOrchestrationServiceClient, IOrchestrationServiceQueryClient, IOrchestrationServicePurgeClient, IDisposable
{
    /// <summary>What the sidecar's dispatchers are told; the real limits are the semaphores below.</summary>
    const int DispatcherLimit = int.MaxValue / 2;

    /// <summary>DurableTask.AzureStorage's private table of the activity messages it is running (2.11.x).</summary>
    static readonly FieldInfo? ActiveActivitySessions =
        typeof(AzureStorageOrchestrationService).GetField("activeActivitySessions", BindingFlags.Instance | BindingFlags.NonPublic);

    readonly ConcurrentDictionary<string, CancellationTokenSource> activitiesInFlight = new(StringComparer.Ordinal);
    readonly SemaphoreSlim activitySlots = new(options.MaxConcurrentActivities, options.MaxConcurrentActivities);
    readonly SemaphoreSlim orchestrationSlots = new(options.MaxConcurrentOrchestrations, options.MaxConcurrentOrchestrations);
    readonly Lock stopGate = new();
    SessionKeeper? sessions;
    Task<TaskOrchestrationWorkItem>? pendingFetch;
    Task? stopping;
    volatile bool started;
    int activityResultsNotStored;

    /// <summary>Keeps AzureStorage sessions open between episodes (the backend must have extended sessions enabled).</summary>
    public void KeepSessions() => sessions = new SessionKeeper(w => service.ReleaseTaskOrchestrationWorkItemAsync(w), logger);

    public IOrchestrationService Inner => service;

    /// <summary>Activity results the backend failed to store (storage unreachable); their activities run again.</summary>
    internal int ActivityResultsNotStored => Volatile.Read(ref activityResultsNotStored);

    public int TaskOrchestrationDispatcherCount => service.TaskOrchestrationDispatcherCount;

    public int MaxConcurrentTaskOrchestrationWorkItems => DispatcherLimit;

    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => service.EventBehaviourForContinueAsNew;

    public int TaskActivityDispatcherCount => service.TaskActivityDispatcherCount;

    public int MaxConcurrentTaskActivityWorkItems => DispatcherLimit;

    public Task StartAsync()
    {
        started = true;
        return service.StartAsync();
    }

    public Task StopAsync() => StopAsync(isForced: false);

    /// <summary>
    /// Stops the backend, once however often it is called, waiting at most <see cref="EngineOptions.StopTimeoutSeconds"/>,
    /// and never throws: a stop that takes longer goes on in the background (its partition leases lapse by themselves),
    /// one that fails is logged. It must not throw: the sidecar calls it from an <c>async void</c> handler, where an
    /// exception ends the process (DurableTask.AzureStorage throws a NullReferenceException when it never started, and a
    /// TimeoutException after waiting 10 minutes for its partition manager).
    /// </summary>
    public Task StopAsync(bool isForced)
    {
        lock (stopGate)
        {
            return stopping ??= StopOnceAsync(isForced);
        }
    }

    async Task StopOnceAsync(bool isForced)
    {
        sessions?.BeginStop();
        TimeSpan bound = TimeSpan.FromSeconds(options.StopTimeoutSeconds);
        var clock = Stopwatch.StartNew();

        // The sidecar starts the backend only once a worker connects; stopping one never started throws. Otherwise
        // DurableTask.AzureStorage may throw a TimeoutException after 10 min waiting for its partition manager: either
        // way its partition leases lapse and another start takes over.
        if (started)
        {
            await DurableEngine.StopStepAsync(logger, "the Durable Task backend (its partition leases lapse by themselves)", bound, () => service.StopAsync(isForced));
        }

        if (sessions is { } keeper)
        {
            // The sessions' messages are still in their control queues, whatever happens here.
            TimeSpan left = bound - clock.Elapsed;
            await DurableEngine.StopStepAsync(
                logger, "the Durable Task sessions", left > TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1), keeper.StopAsync);
        }
    }

    public Task CreateAsync() => service.CreateAsync();

    public Task CreateAsync(bool recreateInstanceStore) => service.CreateAsync(recreateInstanceStore);

    public Task CreateIfNotExistsAsync() => service.CreateIfNotExistsAsync();

    public Task DeleteAsync() => service.DeleteAsync();

    public Task DeleteAsync(bool deleteInstanceStore) => service.DeleteAsync(deleteInstanceStore);

    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) =>
        service.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);

    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => service.GetDelayInSecondsAfterOnProcessException(exception);

    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => service.GetDelayInSecondsAfterOnFetchException(exception);

    public async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        await orchestrationSlots.WaitAsync(cancellationToken);
        TaskOrchestrationWorkItem? workItem = null;
        try
        {
            workItem = await NextOrchestrationAsync(receiveTimeout, cancellationToken);
            return workItem!;
        }
        finally
        {
            // The slot is held until ReleaseTaskOrchestrationWorkItemAsync, which the dispatcher calls for every item.
            if (workItem is null)
            {
                orchestrationSlots.Release();
            }
        }
    }

    /// <summary>
    /// The next work item: a kept session whose instance got new messages, or a new one from the backend. The backend's
    /// fetch is never abandoned: if a kept session wins the race, the fetch stays pending for the next call. (The
    /// sidecar has a single fetch loop, so calls never overlap.)
    /// </summary>
    async Task<TaskOrchestrationWorkItem?> NextOrchestrationAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        if (sessions is null)
        {
            return await service.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);
        }

        while (true)
        {
            if (sessions.Ready.TryRead(out TaskOrchestrationWorkItem? continued))
            {
                return continued;
            }

            pendingFetch ??= service.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);
            Task<bool> readyWait = sessions.Ready.WaitToReadAsync(cancellationToken).AsTask();
            if (await Task.WhenAny(pendingFetch, readyWait) == pendingFetch)
            {
                Task<TaskOrchestrationWorkItem> fetched = pendingFetch;
                pendingFetch = null;
                return await fetched;
            }

            if (!await readyWait)
            {
                // Stopping: no more kept sessions; only the backend's fetch remains.
                Task<TaskOrchestrationWorkItem> fetched = pendingFetch;
                pendingFetch = null;
                return await fetched;
            }
        }
    }

    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => service.RenewTaskOrchestrationWorkItemLockAsync(workItem);

    public Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState)
    {
        ArgumentNullException.ThrowIfNull(newOrchestrationRuntimeState);
        ArgumentNullException.ThrowIfNull(orchestratorMessages);
        ReplaceSidecarEvents(newOrchestrationRuntimeState.Events);
        ReplaceSidecarEvents(newOrchestrationRuntimeState.NewEvents);
        if (service is AzureStorageOrchestrationService)
        {
            FailureRecord.Stash(newOrchestrationRuntimeState, orchestrationState?.FailureDetails);
        }

        foreach (TaskMessage message in orchestratorMessages)
        {
            PlainTags(message);
        }

        PlainTags(continuedAsNewMessage);
        if (service is AzureStorageOrchestrationService && timerMessages is not null)
        {
            foreach (TaskMessage message in timerMessages)
            {
                if (message.Event is TimerFiredEvent fired)
                {
                    fired.FireAt = fired.FireAt.AddSeconds(1);
                }
            }
        }

        if (orchestrationState is not null)
        {
            orchestrationState.Tags = PlainTags(orchestrationState.Tags);
        }

        return service.CompleteTaskOrchestrationWorkItemAsync(
            workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);
    }

    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        sessions?.MarkAbandoned(workItem);
        return service.AbandonTaskOrchestrationWorkItemAsync(workItem);
    }

    public async Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
    {
        try
        {
            if (sessions?.TryKeep(workItem) != true)
            {
                await service.ReleaseTaskOrchestrationWorkItemAsync(workItem);
            }
        }
        finally
        {
            orchestrationSlots.Release();
        }
    }

    public async Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        (await FetchActivityAsync(receiveTimeout, cancellationToken))!;

    /// <summary>One work item, holding a concurrency slot and (for queues) a renewed lock until it is completed or abandoned.</summary>
    async Task<TaskActivityWorkItem?> FetchActivityAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        await activitySlots.WaitAsync(cancellationToken);
        TaskActivityWorkItem? workItem = null;
        try
        {
            workItem = await service.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);
        }
        finally
        {
            if (workItem is null)
            {
                activitySlots.Release();
            }
        }

        if (workItem is null)
        {
            // Nothing arrived before the timeout, or the backend is stopping.
            return null;
        }

        var done = new CancellationTokenSource();
        if (!activitiesInFlight.TryAdd(workItem.Id, done))
        {
            // The same message delivered twice while the first copy still runs: it holds no second slot.
            done.Dispose();
            activitySlots.Release();
        }
        else if (renewActivityLocks)
        {
            _ = RenewUntilDoneAsync(workItem, done.Token);
        }

        return workItem;
    }

    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => service.RenewTaskActivityWorkItemLockAsync(workItem);

    public async Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        try
        {
            await service.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The dispatcher abandons the work item next.
            Interlocked.Increment(ref activityResultsNotStored);
            throw;
        }
        finally
        {
            FinishActivity(workItem.Id);
        }
    }

    public async Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        try
        {
            await service.AbandonTaskActivityWorkItemAsync(workItem);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Storage unreachable (the complete before this failed too, or the activity did): the backend still counts
            // the message as running and would refuse its every redelivery. Forget it; it reappears once its
            // visibility lapses and runs again (at-least-once). Nothing is thrown: the dispatcher could do no more.
            bool forgotten = ForgetActivity(workItem.Id);
            Logs.ActivityAbandonFailed(logger, ex, workItem.Id, forgotten);
        }
        finally
        {
            FinishActivity(workItem.Id);
        }
    }

    /// <summary>Removes an activity message from DurableTask.AzureStorage's table of running ones.</summary>
    bool ForgetActivity(string workItemId)
    {
        if (service is not AzureStorageOrchestrationService
            || ActiveActivitySessions?.GetValue(service) is not IDictionary running
            || !running.Contains(workItemId))
        {
            return false;
        }

        running.Remove(workItemId);
        return true;
    }

    public Task CreateTaskOrchestrationAsync(TaskMessage creationMessage) => client.CreateTaskOrchestrationAsync(PlainTags(creationMessage));

    public Task CreateTaskOrchestrationAsync(TaskMessage creationMessage, OrchestrationStatus[] dedupeStatuses) =>
        client.CreateTaskOrchestrationAsync(PlainTags(creationMessage), dedupeStatuses);

    public Task SendTaskOrchestrationMessageAsync(TaskMessage message) => client.SendTaskOrchestrationMessageAsync(message);

    public Task SendTaskOrchestrationMessageBatchAsync(params TaskMessage[] messages) => client.SendTaskOrchestrationMessageBatchAsync(messages);

    public async Task<OrchestrationState> WaitForOrchestrationAsync(string instanceId, string executionId, TimeSpan timeout, CancellationToken cancellationToken) =>
        WithFailureDetails(await client.WaitForOrchestrationAsync(instanceId, executionId, timeout, cancellationToken));

    public Task ForceTerminateTaskOrchestrationAsync(string instanceId, string reason) => client.ForceTerminateTaskOrchestrationAsync(instanceId, reason);

    public async Task<IList<OrchestrationState>> GetOrchestrationStateAsync(string instanceId, bool allExecutions)
    {
        IList<OrchestrationState> states = await client.GetOrchestrationStateAsync(instanceId, allExecutions);
        foreach (OrchestrationState state in states)
        {
            WithFailureDetails(state);
        }

        return states;
    }

    public async Task<OrchestrationState> GetOrchestrationStateAsync(string instanceId, string executionId) =>
        WithFailureDetails(await client.GetOrchestrationStateAsync(instanceId, executionId));

    public Task<string> GetOrchestrationHistoryAsync(string instanceId, string executionId) => client.GetOrchestrationHistoryAsync(instanceId, executionId);

    public Task PurgeOrchestrationHistoryAsync(DateTime thresholdDateTimeUtc, OrchestrationStateTimeRangeFilterType timeRangeFilterType) =>
        client.PurgeOrchestrationHistoryAsync(thresholdDateTimeUtc, timeRangeFilterType);

    public async Task<OrchestrationQueryResult> GetOrchestrationWithQueryAsync(OrchestrationQuery query, CancellationToken cancellationToken)
    {
        if (client is not IOrchestrationServiceQueryClient queries)
        {
            throw new NotSupportedException($"{client.GetType().Name} cannot list instances.");
        }

        OrchestrationQueryResult result = await queries.GetOrchestrationWithQueryAsync(query, cancellationToken);
        foreach (OrchestrationState state in result.OrchestrationState)
        {
            WithFailureDetails(state);
        }

        return result;
    }
    public Task<PurgeResult> PurgeInstanceStateAsync(string instanceId) =>
        client is IOrchestrationServicePurgeClient purge
            ? purge.PurgeInstanceStateAsync(instanceId)
            : throw new NotSupportedException($"{client.GetType().Name} cannot purge instances.");

    public Task<PurgeResult> PurgeInstanceStateAsync(PurgeInstanceFilter purgeInstanceFilter) =>
        client is IOrchestrationServicePurgeClient purge
            ? purge.PurgeInstanceStateAsync(purgeInstanceFilter)
            : throw new NotSupportedException($"{client.GetType().Name} cannot purge instances.");

    public void Dispose()
    {
        foreach (string id in activitiesInFlight.Keys)
        {
            FinishActivity(id);
        }

        // The semaphores are not disposed: the sidecar's dispatchers may still release work items while stopping, and a
        // SemaphoreSlim whose wait handle was never used holds nothing to free.
        (service as IDisposable)?.Dispose();
    }

    /// <summary>Restores the failure details of a failed instance read from the backend (see <see cref="FailureRecord"/>).</summary>
    internal static OrchestrationState WithFailureDetails(OrchestrationState state)
    {
        if (state is { OrchestrationStatus: OrchestrationStatus.Failed, FailureDetails: null } && FailureRecord.TryRead(state.Output) is { } failure)
        {
            state.FailureDetails = failure;
            state.Output = failure.ToString();
        }

        return state;
    }

    static void ReplaceSidecarEvents(IList<HistoryEvent> events)
    {
        for (int i = 0; i < events.Count; i++)
        {
            if (events[i] is SubOrchestrationInstanceCreatedEvent created && created.GetType() != typeof(SubOrchestrationInstanceCreatedEvent))
            {
                events[i] = new SubOrchestrationInstanceCreatedEvent(created.EventId)
                {
                    Name = created.Name,
                    Version = created.Version,
                    InstanceId = created.InstanceId,
                    Input = created.Input,
                    Timestamp = created.Timestamp,
                    IsPlayed = created.IsPlayed,
                };
            }
        }
    }

    static IDictionary<string, string> PlainTags(IDictionary<string, string>? tags) =>
        tags is null ? new Dictionary<string, string>(StringComparer.Ordinal)
        : tags.GetType() == typeof(Dictionary<string, string>) ? tags
        : new Dictionary<string, string>(tags, StringComparer.Ordinal);

    /// <summary>A new execution (start, restart, sub-orchestration, continue-as-new) gets plain, non-null tags.</summary>
    static TaskMessage PlainTags(TaskMessage message)
    {
        if (message?.Event is ExecutionStartedEvent started)
        {
            started.Tags = PlainTags(started.Tags);
        }

        return message!;
    }

    async Task RenewUntilDoneAsync(TaskActivityWorkItem workItem, CancellationToken done)
    {
        TimeSpan every = TimeSpan.FromSeconds(options.WorkItemVisibilityTimeoutSeconds / 2.0);
        try
        {
            while (true)
            {
                await Task.Delay(every, done);
                try
                {
                    await service.RenewTaskActivityWorkItemLockAsync(workItem);
                    Logs.ActivityLockRenewed(logger, workItem.Id);
                }
                catch (Exception ex) when (ex is not (OutOfMemoryException or OperationCanceledException))
                {
                    // Storage may be back before the activity ends: keep trying. Meanwhile the message may be
                    // redelivered; activities are written to tolerate that (at-least-once).
                    Logs.ActivityLockRenewalFailed(logger, ex, workItem.Id);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The activity finished.
        }
    }

    /// <summary>Stops the lock renewal and frees the slot, once per work item whatever path ends it.</summary>
    void FinishActivity(string workItemId)
    {
        if (activitiesInFlight.TryRemove(workItemId, out CancellationTokenSource? done))
        {
            done.Cancel();
            done.Dispose();
            activitySlots.Release();
        }
    }
}

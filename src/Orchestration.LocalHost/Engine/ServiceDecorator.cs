using System.Collections.Concurrent;
using DurableTask.Core;
using DurableTask.Core.History;
using DurableTask.Core.Query;
using Microsoft.Extensions.Logging;

namespace Orchestration.LocalHost.Engine;

/// <summary>
/// Sits between the gRPC sidecar and the storage backend and fixes what the pairing gets wrong:
/// <list type="bullet">
/// <item>concurrency comes from <see cref="EngineOptions"/> instead of the backend's (the in-memory one allows one item
/// per core and then polls every 500 ms);</item>
/// <item>sub-orchestration tags arrive as a Protobuf MapField, which DurableTask.AzureStorage cannot deserialize
/// (poison message): they are copied into a plain dictionary;</item>
/// <item>the sidecar records <c>GrpcSubOrchestrationInstanceCreatedEvent</c>, a subclass without [DataContract], which
/// leaves the history row without an EventType: it is replaced by a plain <see cref="SubOrchestrationInstanceCreatedEvent"/>;</item>
/// <item>the sidecar never renews activity locks, so an activity running longer than the visibility timeout would run
/// twice: locks are renewed in the background until the activity completes.</item>
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
    readonly ConcurrentDictionary<string, CancellationTokenSource> renewals = new(StringComparer.Ordinal);

    public IOrchestrationService Inner => service;

    public int TaskOrchestrationDispatcherCount => service.TaskOrchestrationDispatcherCount;

    public int MaxConcurrentTaskOrchestrationWorkItems => options.MaxConcurrentOrchestrations;

    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => service.EventBehaviourForContinueAsNew;

    public int TaskActivityDispatcherCount => service.TaskActivityDispatcherCount;

    public int MaxConcurrentTaskActivityWorkItems => options.MaxConcurrentActivities;

    public Task StartAsync() => service.StartAsync();

    public Task StopAsync() => service.StopAsync();

    public Task StopAsync(bool isForced) => service.StopAsync(isForced);

    public Task CreateAsync() => service.CreateAsync();

    public Task CreateAsync(bool recreateInstanceStore) => service.CreateAsync(recreateInstanceStore);

    public Task CreateIfNotExistsAsync() => service.CreateIfNotExistsAsync();

    public Task DeleteAsync() => service.DeleteAsync();

    public Task DeleteAsync(bool deleteInstanceStore) => service.DeleteAsync(deleteInstanceStore);

    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) =>
        service.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);

    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => service.GetDelayInSecondsAfterOnProcessException(exception);

    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => service.GetDelayInSecondsAfterOnFetchException(exception);

    public Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        service.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);

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
        foreach (TaskMessage message in orchestratorMessages)
        {
            if (message.Event is ExecutionStartedEvent started)
            {
                started.Tags = PlainTags(started.Tags);
            }
        }

        if (orchestrationState is not null)
        {
            orchestrationState.Tags = PlainTags(orchestrationState.Tags);
        }

        return service.CompleteTaskOrchestrationWorkItemAsync(
            workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);
    }

    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => service.AbandonTaskOrchestrationWorkItemAsync(workItem);

    public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => service.ReleaseTaskOrchestrationWorkItemAsync(workItem);

    public async Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        TaskActivityWorkItem workItem = await service.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);
        if (workItem is not null && renewActivityLocks)
        {
            var stop = new CancellationTokenSource();
            if (renewals.TryAdd(workItem.Id, stop))
            {
                _ = RenewUntilDoneAsync(workItem, stop.Token);
            }
            else
            {
                stop.Dispose();
            }
        }

        return workItem!;
    }

    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => service.RenewTaskActivityWorkItemLockAsync(workItem);

    public async Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        StopRenewing(workItem.Id);
        await service.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);
    }

    public async Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        StopRenewing(workItem.Id);
        await service.AbandonTaskActivityWorkItemAsync(workItem);
    }

    public Task CreateTaskOrchestrationAsync(TaskMessage creationMessage) => client.CreateTaskOrchestrationAsync(creationMessage);

    public Task CreateTaskOrchestrationAsync(TaskMessage creationMessage, OrchestrationStatus[] dedupeStatuses) =>
        client.CreateTaskOrchestrationAsync(creationMessage, dedupeStatuses);

    public Task SendTaskOrchestrationMessageAsync(TaskMessage message) => client.SendTaskOrchestrationMessageAsync(message);

    public Task SendTaskOrchestrationMessageBatchAsync(params TaskMessage[] messages) => client.SendTaskOrchestrationMessageBatchAsync(messages);

    public Task<OrchestrationState> WaitForOrchestrationAsync(string instanceId, string executionId, TimeSpan timeout, CancellationToken cancellationToken) =>
        client.WaitForOrchestrationAsync(instanceId, executionId, timeout, cancellationToken);

    public Task ForceTerminateTaskOrchestrationAsync(string instanceId, string reason) => client.ForceTerminateTaskOrchestrationAsync(instanceId, reason);

    public Task<IList<OrchestrationState>> GetOrchestrationStateAsync(string instanceId, bool allExecutions) =>
        client.GetOrchestrationStateAsync(instanceId, allExecutions);

    public Task<OrchestrationState> GetOrchestrationStateAsync(string instanceId, string executionId) =>
        client.GetOrchestrationStateAsync(instanceId, executionId);

    public Task<string> GetOrchestrationHistoryAsync(string instanceId, string executionId) => client.GetOrchestrationHistoryAsync(instanceId, executionId);

    public Task PurgeOrchestrationHistoryAsync(DateTime thresholdDateTimeUtc, OrchestrationStateTimeRangeFilterType timeRangeFilterType) =>
        client.PurgeOrchestrationHistoryAsync(thresholdDateTimeUtc, timeRangeFilterType);

    public Task<OrchestrationQueryResult> GetOrchestrationWithQueryAsync(OrchestrationQuery query, CancellationToken cancellationToken) =>
        client is IOrchestrationServiceQueryClient queries
            ? queries.GetOrchestrationWithQueryAsync(query, cancellationToken)
            : throw new NotSupportedException($"{client.GetType().Name} cannot list instances.");

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
        foreach (string id in renewals.Keys)
        {
            StopRenewing(id);
        }

        (service as IDisposable)?.Dispose();
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

    static IDictionary<string, string>? PlainTags(IDictionary<string, string>? tags) =>
        tags is null || tags.GetType() == typeof(Dictionary<string, string>) ? tags : new Dictionary<string, string>(tags, StringComparer.Ordinal);

    async Task RenewUntilDoneAsync(TaskActivityWorkItem workItem, CancellationToken done)
    {
        TimeSpan every = TimeSpan.FromSeconds(options.WorkItemVisibilityTimeoutSeconds / 2.0);
        try
        {
            while (true)
            {
                await Task.Delay(every, done);
                await service.RenewTaskActivityWorkItemLockAsync(workItem);
                Logs.ActivityLockRenewed(logger, workItem.Id);
            }
        }
        catch (OperationCanceledException)
        {
            // The activity finished.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The message may be redelivered; activities are written to tolerate that (at-least-once).
            Logs.ActivityLockRenewalFailed(logger, ex, workItem.Id);
        }
    }

    void StopRenewing(string workItemId)
    {
        if (renewals.TryRemove(workItemId, out CancellationTokenSource? stop))
        {
            stop.Cancel();
            stop.Dispose();
        }
    }
}

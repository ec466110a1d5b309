using System.Collections.Concurrent;
using System.Threading.Channels;
using DurableTask.Core;

namespace Orchestration.LocalHost.Engine;

/// <summary>
/// Extended sessions for the sidecar, which does not know them. DurableTask.AzureStorage (with
/// <c>ExtendedSessionsEnabled</c>) keeps an orchestration's history in memory between episodes only while its session
/// stays open, and the sidecar's dispatcher releases every session right after each episode, so every episode re-reads
/// the whole history from the History table: quadratic in a fan-out. This keeps a session open after the dispatcher
/// releases it, waits (up to the idle timeout) for the instance's next messages, and hands the same work item, history
/// and all, back to the dispatcher — what DurableTask.Core's own dispatcher does. Nothing is lost on any path: a session
/// that gets no messages, is abandoned, finishes, or meets a shutdown is released for real, and unprocessed messages stay
/// in their control queue until they are processed.
/// </summary>
internal sealed class SessionKeeper(Func<TaskOrchestrationWorkItem, Task> release, ILogger logger)
{
    readonly Channel<TaskOrchestrationWorkItem> ready = Channel.CreateUnbounded<TaskOrchestrationWorkItem>(
        new UnboundedChannelOptions { SingleReader = true });

    readonly ConcurrentDictionary<TaskOrchestrationWorkItem, byte> abandoned = new(ReferenceEqualityComparer.Instance);
    readonly ConcurrentDictionary<Task, byte> waiting = new();
    volatile bool stopping;

    /// <summary>Work items whose session received new messages, ready for their next episode.</summary>
    public ChannelReader<TaskOrchestrationWorkItem> Ready => ready.Reader;

    /// <summary>An abandoned work item must not be continued: its messages go back to the queue.</summary>
    public void MarkAbandoned(TaskOrchestrationWorkItem workItem) => abandoned.TryAdd(workItem, 0);

    /// <summary>
    /// Keeps the work item's session open instead of releasing it, when it has one and the orchestration is still running.
    /// Returns false when the caller must release it now.
    /// </summary>
    public bool TryKeep(TaskOrchestrationWorkItem workItem)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        if (abandoned.TryRemove(workItem, out _) || stopping || workItem.Session is null || IsFinished(workItem.OrchestrationRuntimeState))
        {
            return false;
        }

        Task wait = WaitForMessagesAsync(workItem);
        waiting.TryAdd(wait, 0);
        _ = wait.ContinueWith(t => waiting.TryRemove(t, out _), TaskScheduler.Default);
        return true;
    }

    /// <summary>No more sessions are kept from now on.</summary>
    public void BeginStop() => stopping = true;

    /// <summary>Releases every kept or ready session; call after the backend stopped, which ends the waits.</summary>
    public async Task StopAsync()
    {
        stopping = true;
        await Task.WhenAll(waiting.Keys);
        ready.Writer.TryComplete();
        while (ready.Reader.TryRead(out TaskOrchestrationWorkItem? workItem))
        {
            await EndAsync(workItem);
        }
    }

    async Task WaitForMessagesAsync(TaskOrchestrationWorkItem workItem)
    {
        try
        {
            IList<TaskMessage>? messages = await workItem.Session.FetchNewOrchestrationMessagesAsync(workItem);
            if (messages is { Count: > 0 } && !stopping)
            {
                // Everything so far becomes past events (the sidecar replays PastEvents, then applies NewEvents).
                workItem.NewMessages = messages;
                workItem.OrchestrationRuntimeState = new OrchestrationRuntimeState(workItem.OrchestrationRuntimeState.Events);
                workItem.IsExtendedSession = true;
                if (ready.Writer.TryWrite(workItem))
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Logs.ExtendedSessionFailed(logger, ex, workItem.InstanceId);
        }

        try
        {
            await EndAsync(workItem);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Released or not, the instance's messages are still in its control queue and will be processed again.
            Logs.ExtendedSessionFailed(logger, ex, workItem.InstanceId);
        }
    }

    async Task EndAsync(TaskOrchestrationWorkItem workItem)
    {
        try
        {
            await workItem.Session.EndSessionAsync();
        }
        finally
        {
            await release(workItem);
        }
    }

    static bool IsFinished(OrchestrationRuntimeState? state) =>
        state is null || state.OrchestrationStatus is OrchestrationStatus.Completed or OrchestrationStatus.Failed
            or OrchestrationStatus.Terminated or OrchestrationStatus.Canceled;
}

using Microsoft.DurableTask.Client;
using Orchestration.LocalHost.Tests.Infrastructure;

namespace Orchestration.LocalHost.Tests.Engine;

/// <summary>Waits on instances the way a caller would (the client's own wait), with a deadline that fails the test clearly.</summary>
internal static class Instances
{
    /// <summary>Generous for one small orchestration on a busy 2-core box with Azurite sharing it.</summary>
    public static readonly TimeSpan Short = Deadlines.Short;

    /// <summary>For hundreds of activities on Azurite, or recovery that has to wait out a lease or a visibility timeout.</summary>
    public static readonly TimeSpan Long = Deadlines.Long;

    /// <summary>Waits until the instance reaches a terminal state and returns it with its input and output.</summary>
    public static async Task<OrchestrationMetadata> FinishAsync(DurableTaskClient client, string instanceId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, deadline.Token);
        }
        catch (Exception ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested && ex is not AssertFailedException)
        {
            OrchestrationMetadata? now = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
            throw new AssertFailedException(
                $"Instance {instanceId} did not finish within {timeout.TotalSeconds:0} s: it is {now?.RuntimeStatus.ToString() ?? "unknown"}, custom status {now?.SerializedCustomStatus ?? "none"}.",
                ex);
        }
    }

    /// <summary>Waits for a terminal state and asserts it is Completed, showing the failure details otherwise.</summary>
    public static async Task<OrchestrationMetadata> CompleteAsync(DurableTaskClient client, string instanceId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        OrchestrationMetadata done = await FinishAsync(client, instanceId, timeout, cancellationToken);
        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus, $"{instanceId}: {done.FailureDetails}");
        return done;
    }

    /// <summary>Waits until the instance has been picked up by the engine (Running or later).</summary>
    public static async Task<OrchestrationMetadata> StartedAsync(DurableTaskClient client, string instanceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Short);
        try
        {
            return await client.WaitForInstanceStartAsync(instanceId, getInputsAndOutputs: true, deadline.Token);
        }
        catch (Exception ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new AssertFailedException($"Instance {instanceId} did not start within {Short.TotalSeconds:0} s.", ex);
        }
    }

    /// <summary>Polls the instance until it is in <paramref name="status"/>.</summary>
    public static Task<OrchestrationMetadata> InStatusAsync(DurableTaskClient client, string instanceId, OrchestrationRuntimeStatus status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return Infrastructure.Eventually.ReturnsAsync(
            async () => await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken) is { } m && m.RuntimeStatus == status ? m : null,
            Short,
            $"instance {instanceId} to be {status}");
    }

    /// <summary>Σ i² for i in [0, n): what the fan-out sample must compute.</summary>
    public static long SumOfSquares(int n) => (long)(n - 1) * n * ((2L * n) - 1) / 6;
}

using Microsoft.DurableTask;
using Orchestration.Workflows.Durable;

namespace Orchestration.Workflows.Samples;

/// <summary>
/// Input of <c>fan-out</c>: how many work items to run in parallel. Above <see cref="BatchSize"/> items the work is split
/// into sub-orchestrations of at most that many, so no single history grows without bound.
/// </summary>
public sealed record FanOutInput(int Count = 10, int BatchSize = FanOutInput.DefaultBatchSize) : IValidatableInput
{
    public const int DefaultBatchSize = 500;
    public const int MaxCount = 100_000;
    public const int MaxBatchSize = 5_000;

    /// <summary>Sub-orchestrations per fan-out: bounds the parent's history as the batch size bounds each child's.</summary>
    public const int MaxBatches = 1_000;

    public IEnumerable<string> Validate()
    {
        if (Count is < 1 or > MaxCount)
        {
            yield return $"count: {Count} is out of range; use 1 to {MaxCount}.";
        }

        if (BatchSize is < 1 or > MaxBatchSize)
        {
            yield return $"batchSize: {BatchSize} is out of range; use 1 to {MaxBatchSize}.";
        }
        else if (Count is >= 1 and <= MaxCount && (Count + BatchSize - 1) / BatchSize > MaxBatches)
        {
            yield return $"batchSize: {BatchSize} would split {Count} items into more than {MaxBatches} batches; use at least {(Count + MaxBatches - 1) / MaxBatches}.";
        }
    }
}

/// <summary>One batch of a fan-out: items [Start, Start + Length).</summary>
public sealed record FanOutBatch(int Start, int Length);

/// <summary>What a fan-out computed: the sum of i² over every item, checkable as (n-1)n(2n-1)/6.</summary>
public sealed record FanOutResult(int Count, long SumOfSquares, int Batches);

/// <summary>Fan-out/fan-in: every item in parallel, then one final activity merges the results.</summary>
public sealed class FanOutOrchestrator : TaskOrchestrator<FanOutInput?, FanOutResult>
{
    public override async Task<FanOutResult> RunAsync(TaskOrchestrationContext context, FanOutInput? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        input ??= new FanOutInput();
        if (input.Count <= input.BatchSize)
        {
            context.SetCustomStatus(new Progress("fan-out", 0, input.Count));
            long[] squares = await FanOutBatchOrchestrator.RunItemsAsync(context, new FanOutBatch(0, input.Count));
            context.SetCustomStatus(new Progress("fan-in", input.Count, input.Count));
            long sum = await context.CallActivityAsync<long>(nameof(SumActivity), squares, TaskDefaults.Compute);
            return new FanOutResult(input.Count, sum, 1);
        }

        int batches = (input.Count + input.BatchSize - 1) / input.BatchSize;
        context.SetCustomStatus(new Progress("fan-out", 0, batches));
        var running = new List<Task<long>>(batches);
        for (int b = 0; b < batches; b++)
        {
            int start = b * input.BatchSize;
            var batch = new FanOutBatch(start, Math.Min(input.BatchSize, input.Count - start));

            // Deterministic child ids: a replay or a restart finds the same children instead of starting new ones.
            var options = new SubOrchestrationOptions { InstanceId = $"{context.InstanceId}:batch:{b}", Retry = TaskDefaults.Compute.Retry };
            running.Add(context.CallSubOrchestratorAsync<long>(nameof(FanOutBatchOrchestrator), batch, options));
        }

        long[] partials = await Task.WhenAll(running);
        context.SetCustomStatus(new Progress("fan-in", batches, batches));
        long total = await context.CallActivityAsync<long>(nameof(SumActivity), partials, TaskDefaults.Compute);
        return new FanOutResult(input.Count, total, batches);
    }
}

/// <summary>A sub-orchestration that fans out one batch of items and returns the batch's sum.</summary>
public sealed class FanOutBatchOrchestrator : TaskOrchestrator<FanOutBatch, long>
{
    public override async Task<long> RunAsync(TaskOrchestrationContext context, FanOutBatch input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        long[] squares = await RunItemsAsync(context, input);
        return await context.CallActivityAsync<long>(nameof(SumActivity), squares, TaskDefaults.Compute);
    }

    internal static Task<long[]> RunItemsAsync(TaskOrchestrationContext context, FanOutBatch batch)
    {
        var tasks = new Task<long>[batch.Length];
        for (int i = 0; i < batch.Length; i++)
        {
            tasks[i] = context.CallActivityAsync<long>(nameof(SquareActivity), batch.Start + i, TaskDefaults.Compute);
        }

        return Task.WhenAll(tasks);
    }
}

/// <summary>One work item: squares its index.</summary>
public sealed class SquareActivity : TaskActivity<int, long>
{
    public override Task<long> RunAsync(TaskActivityContext context, int input) => Task.FromResult((long)input * input);
}

/// <summary>The fan-in: adds up the parts.</summary>
public sealed class SumActivity : TaskActivity<long[], long>
{
    public override Task<long> RunAsync(TaskActivityContext context, long[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        long sum = 0;
        foreach (long value in input)
        {
            sum = checked(sum + value);
        }

        return Task.FromResult(sum);
    }
}

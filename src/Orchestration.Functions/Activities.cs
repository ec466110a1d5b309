using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Orchestration.Workflows.Samples;
using Orchestration.Workflows.Storage;

namespace Orchestration.Functions;

/// <summary>One [ActivityTrigger] per catalog activity; each creates the core's activity class with DI and runs it.</summary>
public static class Activities
{
    [Function(nameof(SayHelloActivity))]
    public static Task<string> SayHello([ActivityTrigger] string input, FunctionContext context) =>
        Run<SayHelloActivity, string, string>(input, context);

    [Function(nameof(SquareActivity))]
    public static Task<long> Square([ActivityTrigger] int input, FunctionContext context) =>
        Run<SquareActivity, int, long>(input, context);

    [Function(nameof(SumActivity))]
    public static Task<long> Sum([ActivityTrigger] long[] input, FunctionContext context) =>
        Run<SumActivity, long[], long>(input, context);

    [Function(nameof(ComputeBlobDigestActivity))]
    public static Task<BlobDigest> ComputeBlobDigest([ActivityTrigger] BlobRef input, FunctionContext context) =>
        Run<ComputeBlobDigestActivity, BlobRef, BlobDigest>(input, context);

    [Function(nameof(WriteBlobDigestActivity))]
    public static Task<string> WriteBlobDigest([ActivityTrigger] BlobDigest input, FunctionContext context) =>
        Run<WriteBlobDigestActivity, BlobDigest, string>(input, context);

    static Task<TOutput> Run<TActivity, TInput, TOutput>(TInput input, FunctionContext context)
        where TActivity : TaskActivity<TInput, TOutput>
    {
        TActivity activity = ActivatorUtilities.CreateInstance<TActivity>(context.InstanceServices);
        return activity.RunAsync(new FunctionActivityContext(typeof(TActivity).Name, context), input);
    }

    /// <summary>The activity's view of its invocation: its name and the orchestration that called it.</summary>
    sealed class FunctionActivityContext(string name, FunctionContext context) : TaskActivityContext
    {
        public override TaskName Name { get; } = new(name);

        public override string InstanceId { get; } =
            context.BindingContext.BindingData.TryGetValue("instanceId", out object? id) ? id?.ToString() ?? string.Empty : string.Empty;
    }
}

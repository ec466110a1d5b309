using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Orchestration.Workflows.FraudScan;
using Orchestration.Workflows.ImagePipeline;
using Orchestration.Workflows.Samples;
using Orchestration.Workflows.Storage;

namespace Orchestration.Functions;

/// <summary>One [OrchestrationTrigger] per catalog orchestrator, each running the core's class unchanged.</summary>
public static class Orchestrators
{
    [Function(nameof(HelloSequenceOrchestrator))]
    public static Task<IReadOnlyList<string>> HelloSequence([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new HelloSequenceOrchestrator().RunAsync(context, context.GetInput<HelloSequenceInput?>());

    [Function(nameof(FanOutOrchestrator))]
    public static Task<FanOutResult> FanOut([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new FanOutOrchestrator().RunAsync(context, context.GetInput<FanOutInput?>());

    [Function(nameof(FanOutBatchOrchestrator))]
    public static Task<long> FanOutBatch([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new FanOutBatchOrchestrator().RunAsync(context, Required<FanOutBatch>(context));

    [Function(nameof(ApprovalOrchestrator))]
    public static Task<ApprovalResult> Approval([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new ApprovalOrchestrator().RunAsync(context, Required<ApprovalInput>(context));

    [Function(nameof(CountdownOrchestrator))]
    public static Task<CountdownResult?> Countdown([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new CountdownOrchestrator().RunAsync(context, Required<CountdownInput>(context));

    [Function(nameof(BlobDigestOrchestrator))]
    public static Task<BlobDigestResult> BlobDigest([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new BlobDigestOrchestrator().RunAsync(context, Required<BlobRef>(context));

    [Function(nameof(ImagePipelineOrchestrator))]
    public static Task<ImagePipelineResult> ImagePipeline([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new ImagePipelineOrchestrator().RunAsync(context, Required<ImagePipelineInput>(context));

    [Function(nameof(FraudScanOrchestrator))]
    public static Task<FraudScanResult> FraudScan([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new FraudScanOrchestrator().RunAsync(context, Required<FraudScanInput>(context));

    [Function(nameof(ScanPartitionsOrchestrator))]
    public static Task<IReadOnlyList<PartitionScan>> ScanPartitions([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new ScanPartitionsOrchestrator().RunAsync(context, Required<ScanPartitionsInput>(context));

    static T Required<T>(TaskOrchestrationContext context) =>
        context.GetInput<T>() ?? throw new ArgumentException($"Orchestration {context.Name} needs a {typeof(T).Name} input.");
}

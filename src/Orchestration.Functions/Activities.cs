using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Orchestration.Workflows.FraudScan;
using Orchestration.Workflows.ImagePipeline;
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

    [Function(nameof(RejectBlobDigestActivity))]
    public static Task<string> RejectBlobDigest([ActivityTrigger] BlobRef input, FunctionContext context) =>
        Run<RejectBlobDigestActivity, BlobRef, string>(input, context);

    [Function(nameof(InspectImageActivity))]
    public static Task<SourceInspection> InspectImage([ActivityTrigger] BlobRef input, FunctionContext context) =>
        Run<InspectImageActivity, BlobRef, SourceInspection>(input, context);

    [Function(nameof(RenderVariantsActivity))]
    public static Task<RenderResult> RenderVariants([ActivityTrigger] RenderRequest input, FunctionContext context) =>
        Run<RenderVariantsActivity, RenderRequest, RenderResult>(input, context);

    [Function(nameof(WriteManifestActivity))]
    public static Task<string> WriteManifest([ActivityTrigger] Manifest input, FunctionContext context) =>
        Run<WriteManifestActivity, Manifest, string>(input, context);

    [Function(nameof(RejectImageActivity))]
    public static Task<string> RejectImage([ActivityTrigger] RejectRequest input, FunctionContext context) =>
        Run<RejectImageActivity, RejectRequest, string>(input, context);

    [Function(nameof(MarkSourceDoneActivity))]
    public static Task<bool> MarkSourceDone([ActivityTrigger] MarkRequest input, FunctionContext context) =>
        Run<MarkSourceDoneActivity, MarkRequest, bool>(input, context);

    [Function(nameof(ListImagesActivity))]
    public static Task<ImageListing> ListImages([ActivityTrigger] ListImagesRequest input, FunctionContext context) =>
        Run<ListImagesActivity, ListImagesRequest, ImageListing>(input, context);

    [Function(nameof(StoreInlineEventsActivity))]
    public static Task<IReadOnlyList<BlobRef>> StoreInlineEvents([ActivityTrigger] StoreInlineRequest input, FunctionContext context) =>
        Run<StoreInlineEventsActivity, StoreInlineRequest, IReadOnlyList<BlobRef>>(input, context);

    [Function(nameof(ResolveScanInputsActivity))]
    public static Task<ScanPlan> ResolveScanInputs([ActivityTrigger] ResolveScanRequest input, FunctionContext context) =>
        Run<ResolveScanInputsActivity, ResolveScanRequest, ScanPlan>(input, context);

    [Function(nameof(PartitionFileActivity))]
    public static Task<PartitionedFile> PartitionFile([ActivityTrigger] PartitionRequest input, FunctionContext context) =>
        Run<PartitionFileActivity, PartitionRequest, PartitionedFile>(input, context);

    [Function(nameof(ScanPartitionActivity))]
    public static Task<PartitionScan> ScanPartition([ActivityTrigger] ScanPartitionRequest input, FunctionContext context) =>
        Run<ScanPartitionActivity, ScanPartitionRequest, PartitionScan>(input, context);

    [Function(nameof(WriteFraudReportActivity))]
    public static Task<ReportWritten> WriteFraudReport([ActivityTrigger] ReportRequest input, FunctionContext context) =>
        Run<WriteFraudReportActivity, ReportRequest, ReportWritten>(input, context);

    [Function(nameof(DeleteScanWorkActivity))]
    public static Task<int> DeleteScanWork([ActivityTrigger] string input, FunctionContext context) =>
        Run<DeleteScanWorkActivity, string, int>(input, context);

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

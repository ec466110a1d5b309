using Microsoft.DurableTask;
using Orchestration.Workflows.FraudScan;
using Orchestration.Workflows.Http;
using Orchestration.Workflows.ImagePipeline;
using Orchestration.Workflows.Samples;
using Orchestration.Workflows.Storage;
using Orchestration.Workflows.Triggers;

namespace Orchestration.Workflows.Catalog;

/// <summary>
/// The one list of everything the app runs. Both hosts register from it, and a test checks the Functions app's
/// functions.metadata against it, so the two can never drift apart.
/// </summary>
public static class WorkflowCatalog
{
    public static IReadOnlyList<Type> Orchestrators { get; } =
    [
        typeof(HelloSequenceOrchestrator),
        typeof(FanOutOrchestrator),
        typeof(FanOutBatchOrchestrator),
        typeof(ApprovalOrchestrator),
        typeof(CountdownOrchestrator),
        typeof(BlobDigestOrchestrator),
        typeof(ImagePipelineOrchestrator),
        typeof(FraudScanOrchestrator),
        typeof(ScanPartitionsOrchestrator),
    ];

    public static IReadOnlyList<Type> Activities { get; } =
    [
        typeof(SayHelloActivity),
        typeof(SquareActivity),
        typeof(SumActivity),
        typeof(ComputeBlobDigestActivity),
        typeof(WriteBlobDigestActivity),
        typeof(RejectBlobDigestActivity),
        typeof(InspectImageActivity),
        typeof(RenderVariantsActivity),
        typeof(WriteManifestActivity),
        typeof(RejectImageActivity),
        typeof(MarkSourceDoneActivity),
        typeof(ListImagesActivity),
        typeof(StoreInlineEventsActivity),
        typeof(ResolveScanInputsActivity),
        typeof(PartitionFileActivity),
        typeof(ScanPartitionActivity),
        typeof(WriteFraudReportActivity),
        typeof(DeleteScanWorkActivity),
    ];

    public static IReadOnlyList<WorkflowDefinition> Workflows { get; } =
    [
        new("hello-sequence", nameof(HelloSequenceOrchestrator), typeof(HelloSequenceInput), "Function chaining: greets each name in turn."),
        new("fan-out", nameof(FanOutOrchestrator), typeof(FanOutInput), "Fan-out/fan-in of N activities, in sub-orchestration batches when large."),
        new("approval", nameof(ApprovalOrchestrator), typeof(ApprovalInput), "Waits for an ApprovalDecision event or times out on a durable timer.", InputRequired: true,
            Events: [new(ApprovalOrchestrator.DecisionEvent, typeof(ApprovalDecision), ApprovalDecision.Shape)]),
        new("countdown", nameof(CountdownOrchestrator), typeof(CountdownInput), "A timer loop that restarts itself with ContinueAsNew.", InputRequired: true),
        new("blob-digest", nameof(BlobDigestOrchestrator), typeof(BlobRef), "SHA-256 of a blob, written to samples-out; also started by uploads to samples-in.", InputRequired: true),
        new(ImagePipelineOrchestrator.Workflow, nameof(ImagePipelineOrchestrator), typeof(ImagePipelineInput), "Inspects an image, renders a variant per device profile with a manifest in images-out (or rejects it with a reason to images-rejected); a prefix runs a batch. Also started by uploads to images-in.", InputRequired: true),
        new(FraudScanOrchestrator.Workflow, nameof(FraudScanOrchestrator), typeof(FraudScanInput), "Scans market events (files, a prefix or an inline batch) with the surveillance rules into a ranked alert report in fraud-reports. Also started by uploads to market-events and daily at the close.", InputRequired: true),
    ];

    public static IReadOnlyList<BlobTriggerDefinition> BlobTriggers { get; } =
    [
        new(BlobTriggerFunctions.SamplesIn, BlobDigestOrchestrator.InputContainer, "blob-digest"),
        new(BlobTriggerFunctions.ImagesIn, ImagePipelineOrchestrator.InputContainer, ImagePipelineOrchestrator.Workflow),
        new(BlobTriggerFunctions.MarketEvents, FraudScanOrchestrator.InputContainer, FraudScanOrchestrator.Workflow),
    ];

    public static IReadOnlyList<TimerDefinition> Timers { get; } =
    [
        new(Housekeeping.FunctionName, Housekeeping.ScheduleSetting, Housekeeping.DefaultSchedule),
        new(DailyFraudScan.FunctionName, DailyFraudScan.ScheduleSetting, DailyFraudScan.DefaultSchedule),
    ];

    public static IReadOnlyList<HttpEndpointDefinition> HttpEndpoints => ApiRoutes.Endpoints;

    /// <summary>Finds a workflow by its route name (case-insensitive).</summary>
    public static WorkflowDefinition? FindWorkflow(string name) =>
        Workflows.FirstOrDefault(w => string.Equals(w.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Finds the workflow an orchestrator belongs to, for listing instances by workflow.</summary>
    public static WorkflowDefinition? FindByOrchestrator(string orchestrator) =>
        Workflows.FirstOrDefault(w => string.Equals(w.Orchestrator, orchestrator, StringComparison.Ordinal));

    /// <summary>Registers every orchestrator and activity of the catalog, by class name.</summary>
    public static DurableTaskRegistry AddWorkflowTasks(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        foreach (Type orchestrator in Orchestrators)
        {
            registry.AddOrchestrator(orchestrator);
        }

        foreach (Type activity in Activities)
        {
            registry.AddActivity(activity);
        }

        return registry;
    }
}

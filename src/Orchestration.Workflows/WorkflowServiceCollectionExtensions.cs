using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Orchestration.Workflows.FraudScan;
using Orchestration.Workflows.Http;
using Orchestration.Workflows.ImagePipeline;
using Orchestration.Workflows.Imaging;
using Orchestration.Workflows.Samples;
using Orchestration.Workflows.Storage;
using Orchestration.Workflows.Triggers;

namespace Orchestration.Workflows;

public static class WorkflowServiceCollectionExtensions
{
    /// <summary>Everything the workflows need, shared by the Functions app and the local host.</summary>
    public static IServiceCollection AddOrchestrationWorkflows(this IServiceCollection services)
    {
        services.AddOrchestrationStorage();
        services.TryAddSingleton<IHistoryReader, ClientHistoryReader>();
        services.AddSingleton<WorkflowApi>();
        services.AddSingleton<BlobTriggerStarter>();
        services.AddSingleton<Housekeeping>();
        services.AddSingleton<ITimerJob>(sp => sp.GetRequiredService<Housekeeping>());
        services.AddSingleton<DailyFraudScan>();
        services.AddSingleton<ITimerJob>(sp => sp.GetRequiredService<DailyFraudScan>());

        // Loaded and validated when first resolved; both hosts resolve it at start-up, so a bad file stops the app
        // with the validator's message instead of failing the first image.
        // libvips' warnings go to the host's log from then on, not to stderr.
        services.TryAddSingleton(sp =>
        {
            if (sp.GetService<ILoggerFactory>() is { } logs)
            {
                ImageSafety.RouteLogs(logs.CreateLogger("NetVips"));
            }

            return ImagePipelineDefinitionLoader.Load(ImagePipelineDefinitionLoader.DefaultPath);
        });
        services.TryAddSingleton(_ => FraudScanDefinitionLoader.Load(FraudScanDefinitionLoader.DefaultPath));
        services.TryAddSingleton(_ => new VariantRenderer());
        services.TryAddSingleton(sp => new RenderGate(SlotsSetting(sp, RenderGate.Setting)));
        services.TryAddSingleton(sp => new ScanGate(SlotsSetting(sp, ScanGate.Setting)));

        services.AddSingleton(sp => new BlobUpload(sp.GetRequiredService<BlobServiceClient>));
        services.AddSingleton(sp => new UploadPolicy(
            ImagePipelineOrchestrator.Workflow, ImagePipelineOrchestrator.InputContainer, sp.GetRequiredService<ImagePipelineDefinition>().Limits.MaxBytes));

        // The containers a request may name as a workflow's input (a key to the API is not a key to the account).
        services.AddSingleton(_ => new ContainerPolicy("blob-digest", [BlobDigestOrchestrator.InputContainer]));
        services.AddSingleton(sp => new ContainerPolicy(ImagePipelineOrchestrator.Workflow, sp.GetRequiredService<ImagePipelineDefinition>().Containers.Sources));
        services.AddSingleton(sp => new ContainerPolicy(FraudScanOrchestrator.Workflow, sp.GetRequiredService<FraudScanDefinition>().Containers.Sources));
        return services;
    }

    /// <summary>A gate's slots: the setting when given, one per core otherwise.</summary>
    static int SlotsSetting(IServiceProvider services, string setting) =>
        services.GetService<IConfiguration>()?.GetValue<int?>(setting) ?? Environment.ProcessorCount;

    /// <summary>
    /// Loads every workflow.json now (both hosts call this right after building), so a bad file stops the app at start-up
    /// with the validator's message naming every bad field, instead of failing the first run.
    /// </summary>
    public static void LoadWorkflowDefinitions(this IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.GetRequiredService<ImagePipelineDefinition>();
        services.GetRequiredService<FraudScanDefinition>();
    }
}

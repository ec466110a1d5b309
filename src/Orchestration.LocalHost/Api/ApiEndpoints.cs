using Azure.Storage.Queues;
using Microsoft.DurableTask.Client;
using Orchestration.Workflows.Http;
using Orchestration.Workflows.Storage;

namespace Orchestration.LocalHost.Api;

/// <summary>Maps the shared <see cref="WorkflowApi"/> handlers onto the same routes the Functions app exposes.</summary>
internal static class ApiEndpoints
{
    public static IEndpointRouteBuilder MapOrchestrationApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder api = app.MapGroup($"/{ApiRoutes.Prefix}");
        api.MapGet(ApiRoutes.Workflows, (HttpRequest r, WorkflowApi h) => h.ListWorkflows(r)).WithName(ApiRoutes.ListWorkflowsFunction);
        api.MapPost(ApiRoutes.StartWorkflow, (HttpRequest r, WorkflowApi h, DurableTaskClient c, string workflow, CancellationToken ct) =>
            h.StartAsync(r, c, workflow, ct)).WithName(ApiRoutes.StartWorkflowFunction);
        api.MapGet(ApiRoutes.Instances, (HttpRequest r, WorkflowApi h, DurableTaskClient c, CancellationToken ct) =>
            h.ListAsync(r, c, ct)).WithName(ApiRoutes.ListInstancesFunction);
        api.MapDelete(ApiRoutes.Instances, (HttpRequest r, WorkflowApi h, DurableTaskClient c, CancellationToken ct) =>
            h.PurgeManyAsync(r, c, ct)).WithName(ApiRoutes.PurgeInstancesFunction);
        api.MapGet(ApiRoutes.Instance, (HttpRequest r, WorkflowApi h, DurableTaskClient c, string instanceId, CancellationToken ct) =>
            h.GetAsync(r, c, instanceId, ct)).WithName(ApiRoutes.GetInstanceFunction);
        api.MapDelete(ApiRoutes.Instance, (HttpRequest r, WorkflowApi h, DurableTaskClient c, string instanceId, CancellationToken ct) =>
            h.PurgeAsync(r, c, instanceId, ct)).WithName(ApiRoutes.PurgeInstanceFunction);
        api.MapPost(ApiRoutes.Terminate, (HttpRequest r, WorkflowApi h, DurableTaskClient c, string instanceId, CancellationToken ct) =>
            h.TerminateAsync(r, c, instanceId, ct)).WithName(ApiRoutes.TerminateFunction);
        api.MapPost(ApiRoutes.Suspend, (HttpRequest r, WorkflowApi h, DurableTaskClient c, string instanceId, CancellationToken ct) =>
            h.SuspendAsync(r, c, instanceId, ct)).WithName(ApiRoutes.SuspendFunction);
        api.MapPost(ApiRoutes.Resume, (HttpRequest r, WorkflowApi h, DurableTaskClient c, string instanceId, CancellationToken ct) =>
            h.ResumeAsync(r, c, instanceId, ct)).WithName(ApiRoutes.ResumeFunction);
        api.MapPost(ApiRoutes.Restart, (HttpRequest r, WorkflowApi h, DurableTaskClient c, string instanceId, CancellationToken ct) =>
            h.RestartAsync(r, c, instanceId, ct)).WithName(ApiRoutes.RestartFunction);
        api.MapPost(ApiRoutes.RaiseEvent, (HttpRequest r, WorkflowApi h, DurableTaskClient c, string instanceId, string eventName, CancellationToken ct) =>
            h.RaiseEventAsync(r, c, instanceId, eventName, ct)).WithName(ApiRoutes.RaiseEventFunction);
        api.MapGet(ApiRoutes.PoisonBlobs, (WorkflowApi h, IServiceProvider services, IConfiguration configuration, CancellationToken ct) =>
            configuration.GetStorageConnection() is null
                ? Task.FromResult(ApiProblems.NotImplemented(
                    $"This host has no storage account, so no blob triggers: set {StorageServiceCollectionExtensions.ConnectionSetting} (./run.sh does)."))
                : h.ListPoisonBlobsAsync(services.GetRequiredService<QueueServiceClient>(), ct)).WithName(ApiRoutes.PoisonBlobsFunction);
        api.MapGet(ApiRoutes.Health, () => WorkflowApi.Health()).WithName(ApiRoutes.HealthFunction);
        return app;
    }
}

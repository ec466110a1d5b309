using Azure.Storage.Queues;
using Microsoft.AspNetCore.Diagnostics;
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
        api.MapGet(ApiRoutes.Health, (StorageHealth health) => health.CheckAsync()).WithName(ApiRoutes.HealthFunction);
        return app;
    }

    /// <summary>
    /// What routing answers without a body (no such route: 404; a route without that method: 405 with <c>Allow</c>)
    /// becomes a problem+json saying what to use instead, like every other error of the API.
    /// </summary>
    public static Task WriteBodilessErrorAsync(StatusCodeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        HttpContext http = context.HttpContext;
        string request = $"{http.Request.Method} {http.Request.Path}";
        string allow = http.Response.Headers.Allow.ToString();
        IResult problem = http.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => ApiProblems.NotFound(
                $"{request}: no such route. The routes are under /{ApiRoutes.Prefix} (see the README's Routes); GET /{ApiRoutes.Prefix}/{ApiRoutes.Workflows} lists the workflows."),
            StatusCodes.Status405MethodNotAllowed => ApiProblems.MethodNotAllowed(
                $"{request}: {http.Request.Method} is not allowed on this route{(allow.Length > 0 ? $"; use {allow}" : string.Empty)}."),
            int status => ApiProblems.Status(status, $"{request}: the request failed with status {status}."),
        };
        return problem.ExecuteAsync(http);
    }
}

using Azure.Storage.Queues;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Orchestration.Workflows.Http;

namespace Orchestration.Functions;

/// <summary>
/// The HTTP API as functions: one per route and method, each delegating to the shared <see cref="WorkflowApi"/>.
/// Function keys guard every route but health.
/// </summary>
public sealed class HttpApi(WorkflowApi api, QueueServiceClient queues)
{
    [Function(ApiRoutes.ListWorkflowsFunction)]
    public IActionResult ListWorkflows(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Workflows)] HttpRequest request) =>
        api.ListWorkflows(request).AsAction();

    [Function(ApiRoutes.StartWorkflowFunction)]
    public async Task<IActionResult> StartWorkflow(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.StartWorkflow)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string workflow) =>
        (await api.StartAsync(request, client, workflow, request.HttpContext.RequestAborted)).AsAction();

    [Function(ApiRoutes.ListInstancesFunction)]
    public async Task<IActionResult> ListInstances(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Instances)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        (await api.ListAsync(request, client, request.HttpContext.RequestAborted)).AsAction();

    [Function(ApiRoutes.PurgeInstancesFunction)]
    public async Task<IActionResult> PurgeInstances(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = ApiRoutes.Instances)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        (await api.PurgeManyAsync(request, client, request.HttpContext.RequestAborted)).AsAction();

    [Function(ApiRoutes.GetInstanceFunction)]
    public async Task<IActionResult> GetInstance(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Instance)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string instanceId) =>
        (await api.GetAsync(request, client, instanceId, request.HttpContext.RequestAborted)).AsAction();

    [Function(ApiRoutes.PurgeInstanceFunction)]
    public async Task<IActionResult> PurgeInstance(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = ApiRoutes.Instance)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string instanceId) =>
        (await api.PurgeAsync(request, client, instanceId, request.HttpContext.RequestAborted)).AsAction();

    [Function(ApiRoutes.TerminateFunction)]
    public async Task<IActionResult> Terminate(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.Terminate)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string instanceId) =>
        (await api.TerminateAsync(request, client, instanceId, request.HttpContext.RequestAborted)).AsAction();

    [Function(ApiRoutes.SuspendFunction)]
    public async Task<IActionResult> Suspend(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.Suspend)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string instanceId) =>
        (await api.SuspendAsync(request, client, instanceId, request.HttpContext.RequestAborted)).AsAction();

    [Function(ApiRoutes.ResumeFunction)]
    public async Task<IActionResult> Resume(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.Resume)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string instanceId) =>
        (await api.ResumeAsync(request, client, instanceId, request.HttpContext.RequestAborted)).AsAction();

    [Function(ApiRoutes.RestartFunction)]
    public async Task<IActionResult> Restart(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.Restart)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string instanceId) =>
        (await api.RestartAsync(request, client, instanceId, request.HttpContext.RequestAborted)).AsAction();

    [Function(ApiRoutes.RaiseEventFunction)]
    public async Task<IActionResult> RaiseEvent(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.RaiseEvent)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string instanceId,
        string eventName) =>
        (await api.RaiseEventAsync(request, client, instanceId, eventName, request.HttpContext.RequestAborted)).AsAction();

    [Function(ApiRoutes.PoisonBlobsFunction)]
    public async Task<IActionResult> PoisonBlobs(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.PoisonBlobs)] HttpRequest request) =>
        (await api.ListPoisonBlobsAsync(queues, request.HttpContext.RequestAborted)).AsAction();

    [Function(ApiRoutes.HealthFunction)]
    public static IActionResult Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Health)] HttpRequest request) =>
        WorkflowApi.Health().AsAction();
}

/// <summary>
/// The Functions worker executes <see cref="IActionResult"/>s but not minimal-API <see cref="IResult"/>s; this runs the
/// shared handlers' results unchanged.
/// </summary>
internal static class ResultAdapter
{
    public static IActionResult AsAction(this IResult result) => new ResultAction(result);

    sealed class ResultAction(IResult result) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context) => result.ExecuteAsync(context.HttpContext);
    }
}

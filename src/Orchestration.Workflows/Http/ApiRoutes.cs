using Orchestration.Workflows.Catalog;

namespace Orchestration.Workflows.Http;

/// <summary>
/// Every HTTP route, relative to the <c>/api</c> prefix, with the function name it has in the Functions app.
/// Constants because the Functions attributes need them; <see cref="Endpoints"/> lists them for the local host and tests.
/// </summary>
public static class ApiRoutes
{
    public const string Prefix = "api";

    public const string Workflows = "workflows";
    public const string StartWorkflow = "workflows/{workflow}";
    public const string Instances = "instances";
    public const string Instance = "instances/{instanceId}";
    public const string Terminate = "instances/{instanceId}/terminate";
    public const string Suspend = "instances/{instanceId}/suspend";
    public const string Resume = "instances/{instanceId}/resume";
    public const string Restart = "instances/{instanceId}/restart";
    public const string RaiseEvent = "instances/{instanceId}/raiseEvent/{eventName}";
    public const string PoisonBlobs = "blob-triggers/poison";
    public const string Health = "health";

    public const string ListWorkflowsFunction = "Api_ListWorkflows";
    public const string StartWorkflowFunction = "Api_StartWorkflow";
    public const string ListInstancesFunction = "Api_ListInstances";
    public const string PurgeInstancesFunction = "Api_PurgeInstances";
    public const string GetInstanceFunction = "Api_GetInstance";
    public const string PurgeInstanceFunction = "Api_PurgeInstance";
    public const string TerminateFunction = "Api_Terminate";
    public const string SuspendFunction = "Api_Suspend";
    public const string ResumeFunction = "Api_Resume";
    public const string RestartFunction = "Api_Restart";
    public const string RaiseEventFunction = "Api_RaiseEvent";
    public const string PoisonBlobsFunction = "Api_PoisonBlobs";
    public const string HealthFunction = "Api_Health";

    public static IReadOnlyList<HttpEndpointDefinition> Endpoints { get; } =
    [
        new(ListWorkflowsFunction, "GET", Workflows),
        new(StartWorkflowFunction, "POST", StartWorkflow),
        new(ListInstancesFunction, "GET", Instances),
        new(PurgeInstancesFunction, "DELETE", Instances),
        new(GetInstanceFunction, "GET", Instance),
        new(PurgeInstanceFunction, "DELETE", Instance),
        new(TerminateFunction, "POST", Terminate),
        new(SuspendFunction, "POST", Suspend),
        new(ResumeFunction, "POST", Resume),
        new(RestartFunction, "POST", Restart),
        new(RaiseEventFunction, "POST", RaiseEvent),
        new(PoisonBlobsFunction, "GET", PoisonBlobs),
        new(HealthFunction, "GET", Health, Anonymous: true),
    ];
}

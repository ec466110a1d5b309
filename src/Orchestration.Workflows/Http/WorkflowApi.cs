using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Orchestration.Workflows.Catalog;
using Orchestration.Workflows.Durable;
using Orchestration.Workflows.Triggers;

namespace Orchestration.Workflows.Http;

/// <summary>
/// The HTTP API of both hosts: start a workflow, then watch and manage its instances. Every handler takes the request
/// and a <see cref="DurableTaskClient"/> (a binding under Functions, a service in the local host) and returns an
/// <see cref="IResult"/>; bad input always gets a problem+json saying what to fix.
/// </summary>
/// <remarks>A workflow with an <see cref="UploadPolicy"/> also takes a file as the start request's body (<see cref="BlobUpload"/>).</remarks>
public sealed class WorkflowApi(
    IHistoryReader historyReader, BlobTriggerStarter starter, BlobUpload upload, IEnumerable<UploadPolicy> uploads, IEnumerable<ContainerPolicy> containers, ILogger<WorkflowApi> logger)
{
    public const string ContinuationHeader = "x-ms-continuation-token";
    public const int MaxWaitSeconds = 60;
    public const int MaxPageSize = 1000;
    public const int DefaultPageSize = 100;
    public const int MaxInstanceIdLength = 256;
    public const int MaxEventNameLength = 128;
    public const int MaxReasonLength = 1000;

    static readonly JsonSerializerOptions StrictInput = new(DurableJson.Options)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public IResult ListWorkflows(HttpRequest request)
    {
        if (InstanceUris.HostProblem(request) is IResult badHost)
        {
            return Reject(request, badHost);
        }

        string baseUri = InstanceUris.BaseUri(request);
        return Json(WorkflowCatalog.Workflows
            .Select(w => new WorkflowInfo(w.Name, w.Orchestrator, w.Description, w.InputRequired, $"{baseUri}/{ApiRoutes.Workflows}/{w.Name}"))
            .ToList());
    }

    /// <summary>
    /// <c>POST /api/workflows/{workflow}[?instanceId=..][&amp;wait=seconds]</c>: 202 with the check-status payload, or 200
    /// with the instance's status when <c>wait</c> is given and it finishes in time.
    /// </summary>
    public async Task<IResult> StartAsync(HttpRequest request, DurableTaskClient client, string workflow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        if (InstanceUris.HostProblem(request) is IResult badHost)
        {
            return Reject(request, badHost);
        }

        WorkflowDefinition? definition = WorkflowCatalog.FindWorkflow(workflow);
        if (definition is null)
        {
            return Reject(request, ApiProblems.NotFound(
                $"workflow: '{workflow}' is not a workflow here; use one of {string.Join(", ", WorkflowCatalog.Workflows.Select(w => w.Name))}."));
        }

        string? instanceId = request.Query["instanceId"].FirstOrDefault();
        if (instanceId is not null && ValidateInstanceId(instanceId) is IResult badId)
        {
            return Reject(request, badId);
        }

        (int wait, IResult? waitProblem) = ParseWait(request);
        if (waitProblem is not null)
        {
            return Reject(request, waitProblem);
        }

        if (BlobUpload.IsUpload(request))
        {
            return await StartUploadAsync(request, client, definition, instanceId, wait, cancellationToken);
        }

        RequestBody.Result body = await RequestBody.ReadAsync(request, cancellationToken);
        if (body.Problem is not null)
        {
            return Reject(request, body.Problem);
        }

        if (RequestBody.ContentTypeProblem(request, body.Bytes) is IResult notJson)
        {
            return Reject(request, notJson);
        }

        (object? input, IResult? inputProblem) = ReadInput(definition, body.Bytes);
        if (inputProblem is not null)
        {
            return Reject(request, inputProblem);
        }

        if (instanceId is not null
            && await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is { } existing
            && !InstanceStates.IsTerminal(existing.RuntimeStatus))
        {
            return Reject(request, RunningConflict(instanceId, existing.RuntimeStatus));
        }

        try
        {
            instanceId = await client.ScheduleNewOrchestrationInstanceAsync(
                new TaskName(definition.Orchestrator),
                input,
                new StartOrchestrationOptions { InstanceId = instanceId, DedupeStatuses = InstanceStates.ActiveStatusNames },
                cancellationToken);
        }
        catch (Exception ex) when (instanceId is not null && InstanceStates.IsAlreadyExists(ex))
        {
            return Reject(request, RunningConflict(instanceId, OrchestrationRuntimeStatus.Running));
        }

        Logs.WorkflowStarted(logger, definition.Name, instanceId);
        return await AcceptedOrCompletedAsync(request, client, instanceId, wait, cancellationToken);
    }

    /// <summary>
    /// <c>POST /api/workflows/{workflow}?name=..</c> with a file as the body: stored as <c>{container}/{name}</c>, then the
    /// workflow starts for that version under its blob trigger's id (the same bytes sent again are the same run).
    /// </summary>
    async Task<IResult> StartUploadAsync(HttpRequest request, DurableTaskClient client, WorkflowDefinition definition, string? instanceId, int wait, CancellationToken cancellationToken)
    {
        UploadPolicy? policy = uploads.FirstOrDefault(p => p.Workflow == definition.Name);
        if (policy is null)
        {
            string takers = string.Join(", ", uploads.Select(p => p.Workflow));
            return Reject(request, ApiProblems.UnsupportedMediaType(
                $"Content-Type: '{request.ContentType}' sends a file, which {definition.Name} does not take; send its input as JSON (Content-Type: application/json){(takers.Length > 0 ? $". Files are taken by: {takers}" : string.Empty)}."));
        }

        if (instanceId is not null)
        {
            return Reject(request, ApiProblems.BadRequest(
                "instanceId: an upload's instance id comes from the stored blob version (the one its blob trigger would use); leave instanceId out."));
        }

        string? name = request.Query["name"].FirstOrDefault();
        if (BlobUpload.NameProblem(name) is string badName)
        {
            return Reject(request, ApiProblems.BadRequest(badName));
        }

        BlobUpload.Result stored = await upload.StoreAsync(request, policy, name!, cancellationToken);
        if (stored.Problem is not null)
        {
            return Reject(request, stored.Problem);
        }

        string id = await starter.StartAsync(client, definition, stored.Blob!, cancellationToken);
        Logs.UploadStarted(logger, definition.Name, stored.Blob!.Container, stored.Blob.Name, stored.Stored, id);
        return await AcceptedOrCompletedAsync(request, client, id, wait, cancellationToken);
    }

    /// <summary><c>GET /api/instances/{id}[?showInput=true][&amp;showHistory=true]</c>: 200 when finished, 202 while alive, 404 unknown.</summary>
    public async Task<IResult> GetAsync(HttpRequest request, DurableTaskClient client, string instanceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        if (ValidateInstanceId(instanceId) is IResult badId)
        {
            return Reject(request, badId);
        }

        (bool showInput, IResult? inputProblem) = ParseBool(request, "showInput");
        if (inputProblem is not null)
        {
            return Reject(request, inputProblem);
        }

        (bool showHistory, IResult? historyProblem) = ParseBool(request, "showHistory");
        if (historyProblem is not null)
        {
            return Reject(request, historyProblem);
        }
        OrchestrationMetadata? metadata = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
        if (metadata is null)
        {
            return Reject(request, UnknownInstance(instanceId));
        }

        IReadOnlyList<JsonElement>? history = null;
        if (showHistory)
        {
            try
            {
                history = (await historyReader.ReadAsync(client, instanceId, cancellationToken)).Select(WithoutStackTraces).ToList();
            }
            catch (Exception ex) when (ex is NotSupportedException or NotImplementedException)
            {
                return Reject(request, ApiProblems.NotImplemented($"showHistory: this host cannot read instance history ({ex.Message})."));
            }
        }

        InstanceStatus status = ToStatus(metadata, showInput, history);
        return InstanceStates.IsTerminal(metadata.RuntimeStatus)
            ? Json(status)
            : Json(status, StatusCodes.Status202Accepted);
    }

    /// <summary>
    /// <c>GET /api/instances?status=Running,Failed&amp;workflow=..&amp;createdFrom=..&amp;createdTo=..&amp;instanceIdPrefix=..&amp;top=100&amp;continuationToken=..</c>
    /// </summary>
    public async Task<IResult> ListAsync(HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        Filter filter = ParseFilter(request);
        if (filter.Problem is not null)
        {
            return Reject(request, filter.Problem);
        }

        (int top, IResult? topProblem) = ParseInt(request, "top", DefaultPageSize, 1, MaxPageSize);
        if (topProblem is not null)
        {
            return Reject(request, topProblem);
        }

        (bool showInput, IResult? inputProblem) = ParseBool(request, "showInput");
        if (inputProblem is not null)
        {
            return Reject(request, inputProblem);
        }

        string? prefix = request.Query["instanceIdPrefix"].FirstOrDefault();
        string? rawToken = request.Query["continuationToken"].FirstOrDefault() ?? request.Headers[ContinuationHeader].FirstOrDefault();
        string? token = null;
        int skip = 0;
        if (!string.IsNullOrEmpty(rawToken) && !ContinuationToken.TryDecode(rawToken, out token, out skip))
        {
            return Reject(request, ApiProblems.BadRequest("continuationToken: not a token this API returned; pass back the continuationToken of the previous page unchanged."));
        }

        OrchestrationQuery Query(string? backendToken, int pageSize) => new()
        {
            CreatedFrom = filter.CreatedFrom,
            CreatedTo = filter.CreatedTo,
            Statuses = filter.Statuses,
            InstanceIdPrefix = string.IsNullOrEmpty(prefix) ? null : prefix,
            PageSize = pageSize,
            ContinuationToken = string.IsNullOrEmpty(backendToken) ? null : backendToken,
            FetchInputsAndOutputs = true,
        };

        (List<InstanceStatus> items, string? next) = filter.Orchestrator is null && skip == 0
            ? await OnePageAsync(client, Query(token, top), top, showInput, cancellationToken)
            : await FilteredPageAsync(client, Query, filter.Orchestrator, token, skip, top, showInput, cancellationToken);
        if (next is not null)
        {
            request.HttpContext.Response.Headers[ContinuationHeader] = next;
        }

        return Json(new InstancePage(items, next));
    }

    /// <summary>Backend page size while filtering by workflow: fixed, so a token's position within a page stays valid.</summary>
    public const int FilteredBackendPageSize = 100;

    /// <summary>At most this many instances are read to fill one filtered page; then the page ends early, with a token.</summary>
    public const int MaxScannedPerPage = 2000;

    /// <summary>Everything the engine filters itself: its page is the API's page.</summary>
    static async Task<(List<InstanceStatus> Items, string? Next)> OnePageAsync(
        DurableTaskClient client, OrchestrationQuery query, int top, bool showInput, CancellationToken cancellationToken)
    {
        Microsoft.DurableTask.Page<OrchestrationMetadata>? page = await FirstPageAsync(client, query, top, cancellationToken);
        List<InstanceStatus> items = (page?.Values ?? []).Select(m => ToStatus(m, showInput, history: null)).ToList();
        return (items, string.IsNullOrEmpty(page?.ContinuationToken) ? null : ContinuationToken.Encode(page.ContinuationToken));
    }

    /// <summary>
    /// The workflow filter runs here, not in the engine: read backend pages until <paramref name="top"/> instances match,
    /// the instances end, or <see cref="MaxScannedPerPage"/> were read. The token says where to resume: the backend page
    /// and how many of its instances were already looked at.
    /// </summary>
    static async Task<(List<InstanceStatus> Items, string? Next)> FilteredPageAsync(
        DurableTaskClient client,
        Func<string?, int, OrchestrationQuery> query,
        string? orchestrator,
        string? backendToken,
        int skip,
        int top,
        bool showInput,
        CancellationToken cancellationToken)
    {
        var items = new List<InstanceStatus>(top);
        int scanned = 0;
        while (true)
        {
            Microsoft.DurableTask.Page<OrchestrationMetadata>? page =
                await FirstPageAsync(client, query(backendToken, FilteredBackendPageSize), FilteredBackendPageSize, cancellationToken);
            IReadOnlyList<OrchestrationMetadata> values = page?.Values ?? [];
            string? following = string.IsNullOrEmpty(page?.ContinuationToken) ? null : page.ContinuationToken;
            for (int i = skip; i < values.Count; i++)
            {
                scanned++;
                if (orchestrator is not null && !string.Equals(values[i].Name, orchestrator, StringComparison.Ordinal))
                {
                    continue;
                }

                items.Add(ToStatus(values[i], showInput, history: null));
                if (items.Count == top)
                {
                    string? next = i + 1 < values.Count
                        ? ContinuationToken.Encode(backendToken, i + 1)
                        : following is null ? null : ContinuationToken.Encode(following);
                    return (items, next);
                }
            }

            if (following is null)
            {
                return (items, null);
            }

            backendToken = following;
            skip = 0;
            if (scanned >= MaxScannedPerPage)
            {
                return (items, ContinuationToken.Encode(backendToken));
            }
        }
    }

    static async Task<Microsoft.DurableTask.Page<OrchestrationMetadata>?> FirstPageAsync(
        DurableTaskClient client, OrchestrationQuery query, int pageSize, CancellationToken cancellationToken)
    {
        await foreach (Microsoft.DurableTask.Page<OrchestrationMetadata> p in client.GetAllInstancesAsync(query).AsPages(query.ContinuationToken, pageSize).WithCancellation(cancellationToken))
        {
            return p;
        }

        return null;
    }

    /// <summary><c>POST /api/instances/{id}/terminate?reason=..</c>: 202; 409 when it already finished.</summary>
    public Task<IResult> TerminateAsync(HttpRequest request, DurableTaskClient client, string instanceId, CancellationToken cancellationToken) =>
        ChangeStateAsync(request, client, instanceId, "terminate", s => !InstanceStates.IsTerminal(s), "has already finished",
            (reason, ct) => client.TerminateInstanceAsync(instanceId, reason, ct), cancellationToken);

    /// <summary><c>POST /api/instances/{id}/suspend?reason=..</c>: 202; 409 unless it is pending or running.</summary>
    public Task<IResult> SuspendAsync(HttpRequest request, DurableTaskClient client, string instanceId, CancellationToken cancellationToken) =>
        ChangeStateAsync(request, client, instanceId, "suspend", s => s is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending,
            "is not running", (reason, ct) => client.SuspendInstanceAsync(instanceId, reason, ct), cancellationToken);

    /// <summary><c>POST /api/instances/{id}/resume?reason=..</c>: 202; 409 unless it is suspended.</summary>
    public Task<IResult> ResumeAsync(HttpRequest request, DurableTaskClient client, string instanceId, CancellationToken cancellationToken) =>
        ChangeStateAsync(request, client, instanceId, "resume", s => s is OrchestrationRuntimeStatus.Suspended,
            "is not suspended", (reason, ct) => client.ResumeInstanceAsync(instanceId, reason, ct), cancellationToken);

    /// <summary><c>POST /api/instances/{id}/raiseEvent/{eventName}</c> with the event's JSON data as the body: 202.</summary>
    public async Task<IResult> RaiseEventAsync(HttpRequest request, DurableTaskClient client, string instanceId, string eventName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        if (ValidateInstanceId(instanceId) is IResult badId)
        {
            return Reject(request, badId);
        }

        if (InstanceUris.HostProblem(request) is IResult badHost)
        {
            return Reject(request, badHost);
        }

        if (string.IsNullOrWhiteSpace(eventName) || eventName.Length > MaxEventNameLength || !eventName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            return Reject(request, ApiProblems.BadRequest($"eventName: 1 to {MaxEventNameLength} characters of letters, digits, '-', '_' and '.'."));
        }

        RequestBody.Result body = await RequestBody.ReadAsync(request, cancellationToken);
        if (body.Problem is not null)
        {
            return Reject(request, body.Problem);
        }

        if (RequestBody.ContentTypeProblem(request, body.Bytes) is IResult notJson)
        {
            return Reject(request, notJson);
        }

        (JsonElement? data, IResult? problem) = RequestBody.ParseJson(body.Bytes);
        if (problem is not null)
        {
            return Reject(request, problem);
        }

        OrchestrationMetadata? metadata = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken);
        if (metadata is null)
        {
            return Reject(request, UnknownInstance(instanceId));
        }

        if (InstanceStates.IsTerminal(metadata.RuntimeStatus))
        {
            return Reject(request, ApiProblems.Conflict($"Instance '{instanceId}' is {metadata.RuntimeStatus}: it can no longer receive events."));
        }

        if (WorkflowCatalog.FindByOrchestrator(metadata.Name) is { Events: { } events } owner
            && events.FirstOrDefault(e => string.Equals(e.Name, eventName, StringComparison.OrdinalIgnoreCase)) is { } declared
            && EventData.Problem(declared.DataType, data) is string eventProblem)
        {
            return Reject(request, ApiProblems.BadRequest(
                $"body: {owner.Name} takes {declared.Name} as {declared.Shape}; {eventProblem} The instance was not changed."));
        }

        await client.RaiseEventAsync(instanceId, eventName, data, cancellationToken);
        Logs.InstanceOperation(logger, $"raise event {eventName}", instanceId);
        return Json(InstanceUris.CheckStatus(request, instanceId), StatusCodes.Status202Accepted);
    }

    /// <summary>
    /// <c>POST /api/instances/{id}/restart[?newInstanceId=true]</c>: runs the instance again from the start with the
    /// input it holds, under the same id (default) or a new one; 409 while it is still alive. For an instance that
    /// continued as new, that is its last generation's input (as Durable Functions' restart does): the first
    /// generation's input is not kept.
    /// </summary>
    public async Task<IResult> RestartAsync(HttpRequest request, DurableTaskClient client, string instanceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        if (ValidateInstanceId(instanceId) is IResult badId)
        {
            return Reject(request, badId);
        }

        if (InstanceUris.HostProblem(request) is IResult badHost)
        {
            return Reject(request, badHost);
        }

        (bool newId, IResult? problem) = ParseBool(request, "newInstanceId");
        if (problem is not null)
        {
            return Reject(request, problem);
        }

        OrchestrationMetadata? metadata = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
        if (metadata is null)
        {
            return Reject(request, UnknownInstance(instanceId));
        }

        if (!InstanceStates.IsTerminal(metadata.RuntimeStatus))
        {
            return Reject(request, ApiProblems.Conflict(
                $"Instance '{instanceId}' is {metadata.RuntimeStatus}: terminate it or wait for it to finish before restarting it."));
        }

        if (RestartContainerProblem(metadata) is string notAllowed)
        {
            return Reject(request, ApiProblems.Invalid($"Instance '{instanceId}' cannot be restarted: its input is no longer allowed. {notAllowed}", [notAllowed]));
        }

        string targetId = newId ? Guid.NewGuid().ToString("N") : instanceId;
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                new TaskName(metadata.Name),
                ParseRaw(metadata.SerializedInput),
                new StartOrchestrationOptions { InstanceId = targetId, DedupeStatuses = InstanceStates.ActiveStatusNames },
                cancellationToken);
        }
        catch (Exception ex) when (InstanceStates.IsAlreadyExists(ex))
        {
            return Reject(request, RunningConflict(targetId, OrchestrationRuntimeStatus.Running));
        }

        Logs.InstanceOperation(logger, "restart", targetId);
        return Accepted(request, InstanceUris.CheckStatus(request, targetId));
    }

    /// <summary><c>DELETE /api/instances/{id}</c>: deletes a finished instance's history; 409 while it is alive.</summary>
    public async Task<IResult> PurgeAsync(HttpRequest request, DurableTaskClient client, string instanceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        if (ValidateInstanceId(instanceId) is IResult badId)
        {
            return Reject(request, badId);
        }

        OrchestrationMetadata? metadata = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken);
        if (metadata is null)
        {
            return Reject(request, UnknownInstance(instanceId));
        }

        if (!InstanceStates.IsTerminal(metadata.RuntimeStatus))
        {
            return Reject(request, ApiProblems.Conflict($"Instance '{instanceId}' is {metadata.RuntimeStatus}: terminate it before purging it."));
        }

        PurgeResult result = await client.PurgeInstanceAsync(instanceId, cancellationToken);
        Logs.InstanceOperation(logger, "purge", instanceId);
        return Json(new PurgeSummary(result.PurgedInstanceCount));
    }

    /// <summary>
    /// <c>DELETE /api/instances?createdFrom=..&amp;createdTo=..[&amp;status=Completed,Failed,Terminated]</c>: purges finished
    /// instances in the window. A time bound is required, and only finished statuses may be named.
    /// </summary>
    public async Task<IResult> PurgeManyAsync(HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        Filter filter = ParseFilter(request);
        if (filter.Problem is not null)
        {
            return Reject(request, filter.Problem);
        }

        if (filter.CreatedFrom is null && filter.CreatedTo is null)
        {
            return Reject(request, ApiProblems.BadRequest("createdFrom/createdTo: give at least one time bound (ISO-8601), so a purge never deletes everything by accident."));
        }

        if (filter.Orchestrator is not null)
        {
            return Reject(request, ApiProblems.BadRequest("workflow: purging by workflow is not supported; filter by time and status."));
        }

        if (filter.Statuses?.Where(s => !InstanceStates.IsTerminal(s)).Select(s => (OrchestrationRuntimeStatus?)s).FirstOrDefault() is { } alive)
        {
            return Reject(request, ApiProblems.BadRequest($"status: {alive} instances are alive and cannot be purged; use Completed, Failed or Terminated."));
        }

        var statuses = filter.Statuses is { Count: > 0 }
            ? filter.Statuses
            : [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated];
        PurgeResult result = await client.PurgeAllInstancesAsync(
            new PurgeInstancesFilter(filter.CreatedFrom ?? DateTimeOffset.UnixEpoch, filter.CreatedTo, statuses),
            cancellationToken);
        Logs.InstanceOperation(logger, $"purge {result.PurgedInstanceCount} instances", "*");
        return Json(new PurgeSummary(result.PurgedInstanceCount));
    }

    /// <summary><c>GET /api/blob-triggers/poison</c>: the blobs the triggers gave up on (the Functions host's poison queue).</summary>
    public async Task<IResult> ListPoisonBlobsAsync(QueueServiceClient queues, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queues);
        QueueClient queue = queues.GetQueueClient(PoisonQueue.Name);
        var items = new List<PoisonBlob>();
        try
        {
            PeekedMessage[] messages = (await queue.PeekMessagesAsync(maxMessages: 32, cancellationToken)).Value;
            items.AddRange(messages.Select(m => PoisonQueue.Parse(m.Body, m.InsertedOn)));
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No poison queue yet: nothing has been given up on.
        }

        return Json(items);
    }

    public static IResult Health() => Json(new HealthReport("Healthy", DateTimeOffset.UtcNow));

    /// <summary>
    /// Every body is written with <see cref="DurableJson.Options"/>, whatever the host configured, so both hosts answer
    /// in the same shape (enums as names, nulls left out).
    /// </summary>
    static IResult Json<T>(T value, int statusCode = StatusCodes.Status200OK) =>
        TypedResults.Json(value, DurableJson.Options, contentType: null, statusCode: statusCode);

    async Task<IResult> ChangeStateAsync(
        HttpRequest request,
        DurableTaskClient client,
        string instanceId,
        string operation,
        Func<OrchestrationRuntimeStatus, bool> allowed,
        string refusal,
        Func<string?, CancellationToken, Task> change,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        if (ValidateInstanceId(instanceId) is IResult badId)
        {
            return Reject(request, badId);
        }

        if (InstanceUris.HostProblem(request) is IResult badHost)
        {
            return Reject(request, badHost);
        }

        string? reason = request.Query["reason"].FirstOrDefault();
        if (reason is { Length: > MaxReasonLength })
        {
            return Reject(request, ApiProblems.BadRequest($"reason: at most {MaxReasonLength} characters."));
        }

        OrchestrationMetadata? metadata = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken);
        if (metadata is null)
        {
            return Reject(request, UnknownInstance(instanceId));
        }

        if (!allowed(metadata.RuntimeStatus))
        {
            return Reject(request, ApiProblems.Conflict($"Cannot {operation} instance '{instanceId}': it {refusal} (status {metadata.RuntimeStatus})."));
        }

        await change(reason, cancellationToken);
        Logs.InstanceOperation(logger, operation, instanceId);
        return Json(InstanceUris.CheckStatus(request, instanceId), StatusCodes.Status202Accepted);
    }

    async Task<IResult> AcceptedOrCompletedAsync(HttpRequest request, DurableTaskClient client, string instanceId, int wait, CancellationToken cancellationToken)
    {
        CheckStatusPayload payload = InstanceUris.CheckStatus(request, instanceId);
        if (wait > 0)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(wait));
            try
            {
                OrchestrationMetadata done = await client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, timeout.Token);
                request.HttpContext.Response.Headers.Location = payload.StatusQueryGetUri;
                return Json(ToStatus(done, showInput: false, history: null));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Not finished in time: fall through to the usual 202.
            }
        }

        return Accepted(request, payload);
    }

    /// <summary>202 with the check-status payload, its status URI as <c>Location</c> and a one-second <c>Retry-After</c>.</summary>
    static IResult Accepted(HttpRequest request, CheckStatusPayload payload)
    {
        request.HttpContext.Response.Headers.Location = payload.StatusQueryGetUri;
        request.HttpContext.Response.Headers.RetryAfter = "1";
        return Json(payload, StatusCodes.Status202Accepted);
    }

    /// <summary>
    /// An instance started before the allow-lists (or by another client of the task hub) may name a container its
    /// workflow may not read: a restart re-checks the input it would run again.
    /// </summary>
    string? RestartContainerProblem(OrchestrationMetadata metadata)
    {
        if (WorkflowCatalog.FindByOrchestrator(metadata.Name) is not { } definition || string.IsNullOrEmpty(metadata.SerializedInput))
        {
            return null;
        }

        object? input;
        try
        {
            input = JsonSerializer.Deserialize(metadata.SerializedInput, definition.InputType, DurableJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }

        return ContainerPolicy.Problem(definition.Name, input, containers);
    }

    (object? Input, IResult? Problem) ReadInput(WorkflowDefinition definition, byte[]? body)
    {
        if (body is null)
        {
            return definition.InputRequired
                ? (null, ApiProblems.Invalid($"body: workflow '{definition.Name}' needs a JSON input; see workflows/README or GET /api/workflows.", ["body: required"]))
                : (null, null);
        }

        object? input;
        try
        {
            input = JsonSerializer.Deserialize(body, definition.InputType, StrictInput);
        }
        catch (JsonException ex)
        {
            return (null, ApiProblems.BadRequest(RequestBody.Describe(ex)));
        }

        if (input is null)
        {
            return definition.InputRequired
                ? (null, ApiProblems.Invalid($"body: workflow '{definition.Name}' needs a JSON object, not null.", ["body: required"]))
                : (null, null);
        }

        if (input is IValidatableInput validatable && validatable.Validate().ToList() is { Count: > 0 } errors)
        {
            return (null, ApiProblems.Invalid($"The input of workflow '{definition.Name}' is invalid: {string.Join(" ", errors)}", errors));
        }

        if (ContainerPolicy.Problem(definition.Name, input, containers) is string notAllowed)
        {
            return (null, ApiProblems.Invalid($"The input of workflow '{definition.Name}' is invalid: {notAllowed}", [notAllowed]));
        }

        return (input, null);
    }

    static InstanceStatus ToStatus(OrchestrationMetadata m, bool showInput, IReadOnlyList<JsonElement>? history) => new(
        m.InstanceId,
        m.Name,
        WorkflowCatalog.FindByOrchestrator(m.Name)?.Name,
        m.RuntimeStatus,
        m.CreatedAt,
        m.LastUpdatedAt,
        ParseRaw(m.SerializedCustomStatus),
        showInput ? ParseRaw(m.SerializedInput) : null,
        // A failed instance's stored output is the exception as text, stack trace included: failureDetails says what failed.
        m.RuntimeStatus == OrchestrationRuntimeStatus.Failed ? null : ParseRaw(m.SerializedOutput),
        ToFailure(m.FailureDetails),
        history);

    static FailureInfo? ToFailure(TaskFailureDetails? f) =>
        f is null ? null : new FailureInfo(f.ErrorType, f.ErrorMessage, ToFailure(f.InnerFailure));

    /// <summary>
    /// A history event without stack traces: no <c>stackTrace</c> property at any depth, also inside the JSON text some
    /// events carry as a string (a failed execution's result), and no <c>   at ...</c> frame lines in exception texts.
    /// Traces stay in the log and the task hub.
    /// </summary>
    static JsonElement WithoutStackTraces(JsonElement historyEvent)
    {
        string raw = historyEvent.GetRawText();
        if (!raw.Contains("stackTrace", StringComparison.OrdinalIgnoreCase) && !raw.Contains("   at ", StringComparison.Ordinal))
        {
            return historyEvent;
        }

        return JsonSerializer.SerializeToElement(Strip(JsonNode.Parse(raw)), DurableJson.Options);

        static JsonNode? Strip(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (string key in obj.Select(p => p.Key).ToList())
                    {
                        if (key.Equals("stackTrace", StringComparison.OrdinalIgnoreCase))
                        {
                            obj.Remove(key);
                        }
                        else
                        {
                            obj[key] = Strip(obj[key]?.DeepClone());
                        }
                    }

                    return obj;
                case JsonArray array:
                    for (int i = 0; i < array.Count; i++)
                    {
                        array[i] = Strip(array[i]?.DeepClone());
                    }

                    return array;
                case JsonValue value when value.TryGetValue(out string? text):
                    return JsonValue.Create(StripText(text));
                default:
                    return node;
            }
        }

        static string StripText(string text)
        {
            // JSON, possibly after a marker such as the engine's "#orchestration-failure#".
            int brace = text.IndexOf('{', StringComparison.Ordinal);
            if (brace is >= 0 and < 64 && text.Contains("stackTrace", StringComparison.OrdinalIgnoreCase))
            {
                try
                {
                    return string.Concat(text.AsSpan(0, brace), Strip(JsonNode.Parse(text[brace..]))?.ToJsonString() ?? "null");
                }
                catch (JsonException)
                {
                    // Not JSON after all: treat it as text.
                }
            }

            return text.Contains("   at ", StringComparison.Ordinal)
                ? string.Join('\n', text.Split('\n').Where(line => !line.TrimStart().StartsWith("at ", StringComparison.Ordinal) && !line.TrimStart().StartsWith("--- End of", StringComparison.Ordinal)))
                : text;
        }
    }

    /// <summary>The engine stores JSON text; the API embeds it as JSON (or as a string if it is not JSON).</summary>
    static JsonElement? ParseRaw(string? serialized)
    {
        if (string.IsNullOrEmpty(serialized))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(serialized);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(serialized);
        }
    }

    IResult Reject(HttpRequest request, IResult problem)
    {
        if (problem is IStatusCodeHttpResult { StatusCode: int status } && problem is IValueHttpResult { Value: Microsoft.AspNetCore.Mvc.ProblemDetails details })
        {
            Logs.RequestRejected(logger, request.Method, request.Path, status, details.Detail ?? string.Empty);
        }

        return problem;
    }

    static IResult UnknownInstance(string instanceId) =>
        ApiProblems.NotFound($"instanceId: no instance '{instanceId}' in this task hub (purged, or never started).");

    static IResult RunningConflict(string instanceId, OrchestrationRuntimeStatus status) =>
        ApiProblems.Conflict($"instanceId: '{instanceId}' is already {status}; wait for it to finish, terminate it, or choose another id.");

    /// <summary>
    /// Instance ids as Durable Functions allows them: 1–256 characters, none of / \ # ? or control characters; and not
    /// "." or "..", which a URL path would resolve away.
    /// </summary>
    public static IResult? ValidateInstanceId(string? instanceId)
    {
        if (string.IsNullOrWhiteSpace(instanceId) || instanceId.Length > MaxInstanceIdLength || instanceId is "." or ".."
            || instanceId.Any(c => char.IsControl(c) || c is '/' or '\\' or '#' or '?'))
        {
            return ApiProblems.BadRequest($"instanceId: 1 to {MaxInstanceIdLength} characters, not '.' or '..', without '/', '\\', '#', '?' or control characters.");
        }

        return null;
    }

    static (int Seconds, IResult? Problem) ParseWait(HttpRequest request) => ParseInt(request, "wait", 0, 0, MaxWaitSeconds);

    static (int Value, IResult? Problem) ParseInt(HttpRequest request, string name, int fallback, int min, int max)
    {
        string? raw = request.Query[name].FirstOrDefault();
        if (raw is null)
        {
            return (fallback, null);
        }

        return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max
            ? (value, null)
            : (fallback, ApiProblems.BadRequest($"{name}: '{Truncate(raw)}' is not a whole number from {min} to {max}."));
    }

    static (bool Value, IResult? Problem) ParseBool(HttpRequest request, string name)
    {
        string? raw = request.Query[name].FirstOrDefault();
        if (raw is null || raw.Length == 0)
        {
            return (raw is not null, null);
        }

        return bool.TryParse(raw, out bool value)
            ? (value, null)
            : (false, ApiProblems.BadRequest($"{name}: '{Truncate(raw)}' is not true or false."));
    }

    sealed record Filter(DateTimeOffset? CreatedFrom, DateTimeOffset? CreatedTo, IReadOnlyList<OrchestrationRuntimeStatus>? Statuses, string? Orchestrator, IResult? Problem);

    static Filter ParseFilter(HttpRequest request)
    {
        DateTimeOffset? from = null, to = null;
        foreach ((string name, bool isFrom) in new[] { ("createdFrom", true), ("createdTo", false) })
        {
            string? raw = request.Query[name].FirstOrDefault();
            if (raw is null)
            {
                continue;
            }

            if (!DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset value))
            {
                return new Filter(null, null, null, null, ApiProblems.BadRequest($"{name}: '{Truncate(raw)}' is not an ISO-8601 time such as 2026-11-25T13:00:00Z."));
            }

            if (isFrom)
            {
                from = value;
            }
            else
            {
                to = value;
            }
        }

        List<OrchestrationRuntimeStatus>? statuses = null;
        string? rawStatus = string.Join(',', request.Query["status"].Where(s => s is not null));
        if (!string.IsNullOrEmpty(rawStatus))
        {
            statuses = [];
            foreach (string part in rawStatus.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!Enum.TryParse(part, ignoreCase: true, out OrchestrationRuntimeStatus status) || !Enum.IsDefined(status) || int.TryParse(part, out _))
                {
                    return new Filter(null, null, null, null, ApiProblems.BadRequest(
                        $"status: '{Truncate(part)}' is not a runtime status; use {string.Join(", ", Enum.GetNames<OrchestrationRuntimeStatus>())}."));
                }

                statuses.Add(status);
            }
        }

        string? orchestrator = null;
        string? workflow = request.Query["workflow"].FirstOrDefault();
        if (!string.IsNullOrEmpty(workflow))
        {
            WorkflowDefinition? definition = WorkflowCatalog.FindWorkflow(workflow);
            if (definition is null)
            {
                return new Filter(null, null, null, null, ApiProblems.BadRequest(
                    $"workflow: '{Truncate(workflow)}' is not a workflow here; use one of {string.Join(", ", WorkflowCatalog.Workflows.Select(w => w.Name))}."));
            }

            orchestrator = definition.Orchestrator;
        }

        return new Filter(from, to, statuses, orchestrator, null);
    }

    static string Truncate(string value) => value.Length <= 64 ? value : string.Concat(value.AsSpan(0, 64), "…");
}

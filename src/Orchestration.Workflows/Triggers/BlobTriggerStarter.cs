using System.Security.Cryptography;
using System.Text;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Orchestration.Workflows.Catalog;
using Orchestration.Workflows.Storage;

namespace Orchestration.Workflows.Triggers;

/// <summary>
/// What a blob trigger does in both hosts: start the trigger's workflow for one version of a blob, under an instance id
/// derived from container, name and ETag. The same upload delivered twice finds its instance and does nothing; a
/// changed blob (new ETag) gets a new instance.
/// </summary>
public sealed class BlobTriggerStarter(ILogger<BlobTriggerStarter> logger)
{
    /// <summary>Starts (or finds) the instance for this blob version; returns its id.</summary>
    public async Task<string> StartAsync(DurableTaskClient client, BlobTriggerDefinition trigger, BlobRef blob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(blob);
        WorkflowDefinition workflow = WorkflowCatalog.FindWorkflow(trigger.Workflow)
            ?? throw new InvalidOperationException($"Blob trigger {trigger.FunctionName} names unknown workflow '{trigger.Workflow}'.");
        return await StartAsync(client, workflow, blob, cancellationToken);
    }

    /// <summary>Starts (or finds) <paramref name="workflow"/>'s instance for this blob version, as its trigger would (an upload over HTTP uses this).</summary>
    public async Task<string> StartAsync(DurableTaskClient client, WorkflowDefinition workflow, BlobRef blob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(blob);
        // A name that breaks the name rule cannot be addressed safely to learn its ETag (Functions host): its run rejects it
        // without reading it, one run per name.
        string etag = blob.ETag ?? (BlobNames.Problem(blob.Name) is not null ? string.Empty : throw new ArgumentException("A triggered blob must carry its ETag.", nameof(blob)));
        string instanceId = InstanceIdFor(workflow.Name, blob);

        OrchestrationMetadata? existing = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken);
        if (existing is not null)
        {
            Logs.BlobAlreadyStarted(logger, blob.Container, BlobNames.ForLog(blob.Name), etag, instanceId);
            return instanceId;
        }

        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                new TaskName(workflow.Orchestrator),
                blob,
                new StartOrchestrationOptions { InstanceId = instanceId, DedupeStatuses = InstanceStates.AllStatusNames },
                cancellationToken);
        }
        catch (Exception ex) when (InstanceStates.IsAlreadyExists(ex))
        {
            // Another host or a re-delivery started it between our check and our start: exactly what the id is for.
            Logs.BlobAlreadyStarted(logger, blob.Container, BlobNames.ForLog(blob.Name), etag, instanceId);
            return instanceId;
        }

        Logs.BlobStarted(logger, blob.Container, BlobNames.ForLog(blob.Name), etag, workflow.Name, instanceId);
        return instanceId;
    }

    /// <summary>
    /// <c>{workflow}-{first 32 hex digits of SHA-256(container \n name \n etag)}</c>: fixed length whatever the blob name
    /// (unicode, spaces, very long), free of the characters instance ids may not contain, and unambiguous (no container,
    /// name or ETag contains a newline).
    /// </summary>
    public static string InstanceIdFor(string workflow, BlobRef blob)
    {
        ArgumentNullException.ThrowIfNull(blob);
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{blob.Container}\n{blob.Name}\n{blob.ETag}"));
        return $"{workflow}-{Convert.ToHexStringLower(hash.AsSpan(0, 16))}";
    }
}

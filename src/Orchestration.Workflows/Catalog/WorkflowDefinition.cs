namespace Orchestration.Workflows.Catalog;

/// <summary>A workflow users can start by name: <c>POST /api/workflows/{Name}</c>.</summary>
/// <param name="Name">The route name, kebab-case.</param>
/// <param name="Orchestrator">The orchestrator's task name.</param>
/// <param name="InputType">What the request body is deserialized into (and validated, when it is an <see cref="Durable.IValidatableInput"/>).</param>
/// <param name="Description">One line for the listing.</param>
/// <param name="InputRequired">Whether an empty body is refused (otherwise the orchestrator's defaults apply).</param>
/// <param name="Events">
/// The external events it waits for, by name: what the raise-event route validates a payload against (other names are
/// passed on unchecked, as Durable Functions does).
/// </param>
public sealed record WorkflowDefinition(string Name, string Orchestrator, Type InputType, string Description, bool InputRequired = false, IReadOnlyList<WorkflowEvent>? Events = null);

/// <summary>An external event a workflow declares: its name, the type its data must read as, and that shape in words.</summary>
public sealed record WorkflowEvent(string Name, Type DataType, string Shape);

/// <summary>A container whose new or changed blobs each start one orchestration.</summary>
/// <param name="FunctionName">The blob-trigger function's name in the Functions app.</param>
/// <param name="Container">The watched container; the trigger path is <c>{Container}/{name}</c>.</param>
/// <param name="Workflow">The workflow started for each blob, with a <see cref="Storage.BlobRef"/> as input.</param>
public sealed record BlobTriggerDefinition(string FunctionName, string Container, string Workflow);

/// <summary>A scheduled job; the NCrontab expression (six fields, with seconds) comes from the app setting <paramref name="ScheduleSetting"/>.</summary>
public sealed record TimerDefinition(string FunctionName, string ScheduleSetting, string DefaultSchedule);

/// <summary>An HTTP endpoint: one function in the Functions app, one route in the local host.</summary>
public sealed record HttpEndpointDefinition(string FunctionName, string Method, string Route, bool Anonymous = false);

namespace Orchestration.Workflows.Durable;

/// <summary>The custom status every orchestrator publishes: which stage it is in and how far along.</summary>
public sealed record Progress(string Stage, int Done, int Total);

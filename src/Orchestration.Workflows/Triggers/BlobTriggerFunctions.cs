namespace Orchestration.Workflows.Triggers;

/// <summary>Function names of the blob triggers (constants, because attributes need them).</summary>
public static class BlobTriggerFunctions
{
    public const string SamplesIn = "BlobTrigger_SamplesIn";
    public const string SamplesInPath = "samples-in/{name}";
    public const string ImagesIn = "BlobTrigger_ImagesIn";
    public const string ImagesInContainer = "images-in";
    public const string ImagesInPath = ImagesInContainer + "/{name}";
    public const string MarketEvents = "BlobTrigger_MarketEvents";
    public const string MarketEventsContainer = "market-events";
    public const string MarketEventsPath = MarketEventsContainer + "/{name}";
}

namespace Orchestration.LocalHost.Api;

/// <summary>Section <c>LocalHost</c>: the key HTTP callers must present.</summary>
public sealed class ApiKeyOptions
{
    public const string Section = "LocalHost";

    /// <summary>The API key. When empty, one is generated at start-up and printed.</summary>
    public string? ApiKey { get; set; }
}

namespace Orchestration.LocalHost.Azurite;

/// <summary>Options for <see cref="AzuriteLauncher.StartAsync"/>.</summary>
public sealed class AzuriteLaunchOptions
{
    /// <summary>
    /// Folder that holds <c>node_modules/azurite</c> (the repository root, where <c>package.json</c> pins Azurite).
    /// When <see langword="null"/>, the launcher walks up from <see cref="AppContext.BaseDirectory"/> and from the
    /// current directory to find it.
    /// </summary>
    public string? RepositoryRoot { get; set; }

    /// <summary>
    /// <see langword="true"/> (default) keeps all data in memory (<c>--inMemoryPersistence</c>);
    /// <see langword="false"/> persists it under <see cref="DataDirectory"/> (<c>--location</c>).
    /// </summary>
    public bool InMemory { get; set; } = true;

    /// <summary>Where Azurite persists data when <see cref="InMemory"/> is false. Default: <c>&lt;root&gt;/.azurite</c>.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>How long one start attempt may take before it fails. Default: 30 seconds.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

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

    /// <summary>
    /// Fixed loopback ports for the Blob, Queue and Table services (all three or none). None: three free ports are picked
    /// (and new ones tried if Azurite cannot bind them). Fixed: a start on them either works or fails.
    /// </summary>
    public (int Blob, int Queue, int Table)? Ports { get; set; }

    /// <summary>
    /// When Azurite exits by itself (crash, kill), start it again on the same ports with the same data, up to
    /// <see cref="MaxRestartAttempts"/> tries per exit; <see cref="AzuriteLauncher.Lost"/> is signalled when that fails.
    /// Without it, <see cref="AzuriteLauncher.Lost"/> is signalled at the first exit.
    /// </summary>
    public bool RestartOnExit { get; set; }

    /// <summary>Restart attempts after one unexpected exit (the first after 1 s, then 1, 2, 4, ... s apart). Default: 5.</summary>
    public int MaxRestartAttempts { get; set; } = 5;
}

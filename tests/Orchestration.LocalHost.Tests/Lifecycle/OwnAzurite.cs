using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestration.LocalHost.Azurite;

namespace Orchestration.LocalHost.Tests.Lifecycle;

/// <summary>
/// An Azurite of one test's own (not the assembly's shared one), which the test may kill, freeze, and start again on the
/// same ports with the same data (kept in a temporary folder, not in memory).
/// </summary>
internal sealed class OwnAzurite : IAsyncDisposable
{
    readonly string folder;
    AzuriteLauncher launcher;
    bool frozen;

    OwnAzurite(AzuriteLauncher launcher, string folder)
    {
        this.launcher = launcher;
        this.folder = folder;
    }

    public string ConnectionString => launcher.ConnectionString;

    public static async Task<OwnAzurite> StartAsync(CancellationToken cancellationToken)
    {
        string folder = Directory.CreateTempSubdirectory("azurite-lifecycle-").FullName;
        AzuriteLauncher launcher = await AzuriteLauncher.StartAsync(
            new AzuriteLaunchOptions { InMemory = false, DataDirectory = folder }, NullLogger.Instance, cancellationToken);
        return new OwnAzurite(launcher, folder);
    }

    /// <summary>SIGTERM: Azurite saves its data, closes its ports and exits; storage is gone until <see cref="RestartAsync"/>.</summary>
    public async Task StopAsync()
    {
        using var process = Process.GetProcessById(launcher.ProcessId);
        await SignalAsync("TERM", process.Id);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>SIGKILL: storage is gone at once, nothing flushed or closed (what Azurite had not saved is lost).</summary>
    public async Task KillAsync()
    {
        using var process = Process.GetProcessById(launcher.ProcessId);
        process.Kill();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>SIGSTOP: storage still accepts connections but never answers (a storage account that is busy or stuck).</summary>
    public async Task FreezeAsync()
    {
        await SignalAsync("STOP", launcher.ProcessId);
        frozen = true;
    }

    /// <summary>Starts Azurite again on the same three ports, over the same data folder.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        (int, int, int) ports = (launcher.BlobPort, launcher.QueuePort, launcher.TablePort);
        await launcher.DisposeAsync();
        launcher = await AzuriteLauncher.StartAsync(
            new AzuriteLaunchOptions { InMemory = false, DataDirectory = folder, Ports = ports }, NullLogger.Instance, cancellationToken);
    }

    public static async Task SignalAsync(string signal, int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await kill.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (frozen)
        {
            try
            {
                await SignalAsync("CONT", launcher.ProcessId);
            }
            catch (InvalidOperationException)
            {
                // Gone already.
            }
        }

        await launcher.DisposeAsync();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A late write of Azurite's; the temp folder is cleaned up by the system.
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace Orchestration.LocalHost.Tests.Durability;

/// <summary>
/// The local host as its own process (<c>dotnet Orchestration.LocalHost.dll</c>), so a test can kill it for real.
/// Its output is kept (tagged with which run it came from) for the test to show when it fails.
/// </summary>
internal sealed class LocalHostProcess : IDisposable
{
    readonly Process process;

    LocalHostProcess(Process process) => this.process = process;

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>The local host built next to this test assembly, in the same configuration.</summary>
    public static string LocalHostDll()
    {
        string configuration = typeof(LocalHostProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Orchestration.sln")))
            {
                string dll = Path.Combine(dir.FullName, "src", "Orchestration.LocalHost", "bin", configuration, "net10.0", "Orchestration.LocalHost.dll");
                return File.Exists(dll) ? dll : throw new AssertInconclusiveException($"The local host is not built at {dll}.");
            }
        }

        throw new AssertInconclusiveException($"No Orchestration.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>A loopback port nobody listens on right now.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    public static LocalHostProcess Start(string dll, IEnumerable<string> args, ConcurrentQueue<string> output, string tag)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // The test runner's own settings must not leak into the child.
        info.Environment.Remove("ASPNETCORE_URLS");
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Keep(output, tag, "out", e.Data);
        process.ErrorDataReceived += (_, e) => Keep(output, tag, "err", e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException("dotnet did not start.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        output.Enqueue($"[{tag}] started pid {process.Id}");
        return new LocalHostProcess(process);
    }

    /// <summary>SIGKILL on Linux: no shutdown code runs, nothing is flushed or released.</summary>
    public async Task KillHardAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: false);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
    }

    public void Dispose()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(30));
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        process.Dispose();
    }

    static void Keep(ConcurrentQueue<string> output, string tag, string stream, string? line)
    {
        if (line is not null)
        {
            output.Enqueue($"[{tag} {stream}] {line}");
        }
    }
}

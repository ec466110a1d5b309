using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Orchestration.Bench;

/// <summary>
/// The local host as its own process — <c>dotnet Orchestration.LocalHost.dll</c>, the copy built next to this bench with
/// its own appsettings.json and runtime settings (server GC) — so its memory and CPU are the app's alone: neither the bare
/// loop's buffers nor the uploaders count against it. Its last lines of output are kept to explain a failure.
/// </summary>
internal sealed class HostProcess : IAsyncDisposable
{
    public const string ApiKey = "bench";

    const int KeptLines = 40;
    static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    readonly Process process;
    readonly ConcurrentQueue<string> output = new();

    HostProcess(Process process, Uri baseAddress)
    {
        this.process = process;
        Api = new HttpClient { BaseAddress = baseAddress };
        Api.DefaultRequestHeaders.Add("x-functions-key", ApiKey);
    }

    public int Id => process.Id;

    /// <summary>The host's HTTP API, with the key.</summary>
    public HttpClient Api { get; }

    /// <summary>The host's last lines of output, to show with an error.</summary>
    public string RecentOutput => string.Join(Environment.NewLine, output);

    /// <summary>Starts the host on a free loopback port with <paramref name="settings"/> (<c>--Key=value</c>) and waits until it is healthy.</summary>
    public static async Task<HostProcess> StartAsync(IEnumerable<string> settings)
    {
        string url = $"http://127.0.0.1:{FreePort()}";
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Orchestration.LocalHost.dll"));
        info.ArgumentList.Add($"--urls={url}");
        info.ArgumentList.Add($"--LocalHost:ApiKey={ApiKey}");
        foreach (string setting in settings)
        {
            info.ArgumentList.Add(setting);
        }

        info.Environment["DOTNET_ENVIRONMENT"] = "Production";

        // As ./run.sh sets it: two glibc arenas for libvips' freed buffers instead of one per thread.
        info.Environment["MALLOC_ARENA_MAX"] = Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") ?? "2";
        info.Environment.Remove("ASPNETCORE_URLS");
        Process process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        var host = new HostProcess(process, new Uri(url));
        process.OutputDataReceived += (_, e) => host.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => host.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await host.WaitUntilHealthyAsync();
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>Throws, with the host's last output, when it has exited: whatever was being awaited will never come.</summary>
    public void ThrowIfExited()
    {
        if (process.HasExited)
        {
            throw new InvalidOperationException($"The local host exited with code {process.ExitCode}:{Environment.NewLine}{RecentOutput}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    async Task WaitUntilHealthyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            ThrowIfExited();
            try
            {
                using HttpResponseMessage health = await Api.GetAsync(new Uri("api/health", UriKind.Relative));
                if (health.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The local host was not healthy within {StartTimeout.TotalSeconds} s:{Environment.NewLine}{RecentOutput}");
    }

    void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        while (output.Count > KeptLines)
        {
            output.TryDequeue(out _);
        }
    }

    static int FreePort()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}

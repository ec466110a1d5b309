using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Orchestration.LocalHost.Azurite;

/// <summary>
/// Runs the repository's pinned Azurite (<c>node_modules/azurite</c>, installed by <c>npm ci</c>) on three free
/// loopback ports and stops it again on dispose or when this process exits. When it exits by itself, it is started
/// again on the same ports with the same data (<see cref="AzuriteLaunchOptions.RestartOnExit"/>), or <see cref="Lost"/>
/// says it is gone for good.
/// </summary>
public sealed class AzuriteLauncher : IAsyncDisposable
{
    /// <summary>Azurite's well-known development account name.</summary>
    public const string DevelopmentAccountName = "devstoreaccount1";

    /// <summary>Azurite's well-known development account key (public, not a secret).</summary>
    public const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>Entry point of the npm package (its <c>bin.azurite</c>), relative to the repository root.</summary>
    private static readonly string EntryPointRelativePath =
        Path.Combine("node_modules", "azurite", "dist", "src", "azurite.js");

    private const int MaxAttempts = 4; // the first try plus up to 3 retries on new ports
    private const int OutputTailLines = 40;
    private const int SigTerm = 15; // same number on Linux and macOS
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan ConnectProbeTimeout = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ProcessExitStopTimeout = TimeSpan.FromSeconds(2);

    // Runs Azurite inside a tiny wrapper (node -e WRAPPER -- azurite.js flags...): process.argv is then exactly what
    // `node azurite.js flags...` would see. The wrapper watches stdin, a pipe whose write end only this .NET process
    // holds: when this process dies for ANY reason (even SIGKILL, when no .NET handler can run) the pipe reaches EOF
    // and the wrapper SIGTERMs its own process (Azurite shuts down cleanly; before Azurite installed its handler,
    // or on a second SIGTERM, Node simply exits), with a hard exit after 5 s, so Azurite is never orphaned.
    // stdin is unref'd so that it does not keep Node alive. The wrapper installs no signal handlers of its own.
    private const string WatchdogScript =
        "process.stdin.on('error',()=>{}).on('end',()=>{setTimeout(()=>process.exit(0),5000).unref();" +
        "process.kill(process.pid,'SIGTERM')}).resume();" +
        "if(typeof process.stdin.unref==='function')process.stdin.unref();" +
        "require(process.argv[1]);";

    private readonly ILogger _logger;
    private readonly EventHandler _onProcessExit;
    private readonly AzuriteLaunchOptions _options;
    private readonly string _root;
    private readonly string _entryPoint;
    private readonly string? _dataDirectory;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _lost = new();
    private volatile Process _process;
    private volatile OutputTail _output;
    private Process? _supervised;
    private Task? _supervisor;
    private int _disposed;

    private AzuriteLauncher(
        Process process, ILogger logger, OutputTail output, int blobPort, int queuePort, int tablePort,
        AzuriteLaunchOptions options, string root, string entryPoint, string? dataDirectory)
    {
        _process = process;
        _logger = logger;
        _output = output;
        _options = options;
        _root = root;
        _entryPoint = entryPoint;
        _dataDirectory = dataDirectory;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
        ConnectionString = BuildConnectionString(blobPort, queuePort, tablePort);
        _onProcessExit = (_, _) => StopOnProcessExit();
    }

    /// <summary>Port of the Blob service on 127.0.0.1.</summary>
    public int BlobPort { get; }

    /// <summary>Port of the Queue service on 127.0.0.1.</summary>
    public int QueuePort { get; }

    /// <summary>Port of the Table service on 127.0.0.1.</summary>
    public int TablePort { get; }

    /// <summary>Full, explicit storage connection string for the development account on this instance.</summary>
    public string ConnectionString { get; }

    /// <summary>Process id of the Node process running Azurite (a new one after a restart).</summary>
    public int ProcessId => _process.Id;

    /// <summary>Signalled when Azurite exited by itself and could not be restarted (or restarts are off).</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>Why <see cref="Lost"/> was signalled; null while Azurite runs.</summary>
    public string? LostReason { get; private set; }

    /// <summary>
    /// The owner is stopping: an exit of Azurite from now on (Ctrl-C in a terminal reaches it too) is expected and not
    /// restarted.
    /// </summary>
    public void ExpectExit() => _stopping.Cancel();

    /// <summary>
    /// Starts Azurite and returns once its Blob, Queue and Table ports all accept connections.
    /// </summary>
    /// <exception cref="InvalidOperationException">Azurite is not installed, Node is missing, or Azurite kept exiting.</exception>
    /// <exception cref="TimeoutException">Azurite did not become ready within <see cref="AzuriteLaunchOptions.StartTimeout"/>.</exception>
    public static async Task<AzuriteLauncher> StartAsync(AzuriteLaunchOptions options, ILogger logger, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        if (options.StartTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.StartTimeout, "StartTimeout must be positive.");
        }

        string root = ResolveRepositoryRoot(options.RepositoryRoot);
        string entryPoint = Path.Combine(root, EntryPointRelativePath);
        if (!File.Exists(entryPoint))
        {
            throw new InvalidOperationException(
                "Azurite is not installed: run `npm ci` in " + root + " (missing " + entryPoint + ").");
        }

        Logs.AzuriteRootResolved(logger, root);

        string? dataDirectory = null;
        if (!options.InMemory)
        {
            dataDirectory = Path.GetFullPath(options.DataDirectory ?? Path.Combine(root, ".azurite"));
            Directory.CreateDirectory(dataDirectory);
        }

        // Fixed ports are taken as given: a start on them works or fails, there are no others to try.
        int maxAttempts = options.Ports is null ? MaxAttempts : 1;
        for (int attempt = 1; ; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            (int blobPort, int queuePort, int tablePort) = options.Ports ?? PickFreePorts();
            Logs.AzuriteStarting(logger, entryPoint, blobPort, queuePort, tablePort, options.InMemory, attempt, maxAttempts);

            var output = new OutputTail(OutputTailLines);
            Process process = StartProcess(root, entryPoint, dataDirectory, blobPort, queuePort, tablePort, output, logger);
            var launcher = new AzuriteLauncher(process, logger, output, blobPort, queuePort, tablePort, options, root, entryPoint, dataDirectory);
            AppDomain.CurrentDomain.ProcessExit += launcher._onProcessExit;

            StartResult result;
            try
            {
                result = await launcher.WaitUntilReadyAsync(options.StartTimeout, ct).ConfigureAwait(false);
            }
            catch
            {
                await launcher.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            switch (result)
            {
                case StartResult.Ready:
                    launcher.Watch(process);
                    return launcher;

                case StartResult.ExitedEarly:
                {
                    int exitCode = process.ExitCode;
                    string tail = output.Snapshot();
                    await launcher.DisposeAsync().ConfigureAwait(false);
                    if (attempt >= maxAttempts)
                    {
                        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                            $"Azurite exited during start-up with code {exitCode} ({maxAttempts} attempts on ports {blobPort}, {queuePort}, {tablePort}{(options.Ports is null ? " and fresh ones" : "")}). Output:{Environment.NewLine}{tail}"));
                    }

                    Logs.AzuriteExitedEarly(logger, exitCode, attempt, maxAttempts, tail);
                    continue;
                }

                default: // StartResult.TimedOut
                {
                    string tail = output.Snapshot();
                    await launcher.DisposeAsync().ConfigureAwait(false);
                    throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                        $"Azurite did not accept connections on 127.0.0.1 ports {blobPort}, {queuePort} and {tablePort} within {options.StartTimeout.TotalSeconds:0.#} s. Output:{Environment.NewLine}{tail}"));
                }
            }
        }
    }

    /// <summary>Stops Azurite: SIGTERM, up to 5 s for a clean shutdown, then kills the process tree.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= _onProcessExit;
        await _stopping.CancelAsync().ConfigureAwait(false);
        Task? supervisor;
        lock (_gate)
        {
            supervisor = _supervisor;
        }

        if (supervisor is not null)
        {
            // It sees the cancellation at its next step and kills a process it started too late.
            await supervisor.WaitAsync(StopTimeout).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }

        int pid = -1;
        try
        {
            pid = _process.Id;
            if (!_process.HasExited)
            {
                Logs.AzuriteStopping(_logger, pid);
                RequestShutdown(_process);
                using (var timeout = new CancellationTokenSource(StopTimeout))
                {
                    try
                    {
                        await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        Logs.AzuriteKilling(_logger, pid, (long)StopTimeout.TotalMilliseconds);
                        _process.Kill(entireProcessTree: true);
                    }
                }

                using (var killTimeout = new CancellationTokenSource(StopTimeout))
                {
                    await _process.WaitForExitAsync(killTimeout.Token).ConfigureAwait(false);
                }

                Logs.AzuriteStopped(_logger, pid);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or OperationCanceledException or NotSupportedException)
        {
            Logs.AzuriteStopFailed(_logger, ex, pid);
        }
        finally
        {
            _process.Dispose();
        }
    }

    /// <summary>From now on, an exit of <paramref name="process"/> that nobody asked for is handled.</summary>
    private void Watch(Process process)
    {
        process.Exited += OnExited;
        if (process.HasExited)
        {
            OnExited(process, EventArgs.Empty);
        }
    }

    private void OnExited(object? sender, EventArgs e)
    {
        if (sender is not Process dead)
        {
            return;
        }

        lock (_gate)
        {
            // Once per process (the event and Watch may both report it), and never for one being stopped.
            if (Volatile.Read(ref _disposed) != 0 || _stopping.IsCancellationRequested || !ReferenceEquals(dead, _process) || ReferenceEquals(dead, _supervised))
            {
                return;
            }

            _supervised = dead;
            _supervisor = Task.Run(() => SuperviseAsync(dead));
        }
    }

    /// <summary>Azurite exited by itself: start it again on the same ports with the same data, or give up and say why.</summary>
    private async Task SuperviseAsync(Process dead)
    {
        int pid = -1;
        int exitCode = -1;
        try
        {
            pid = dead.Id;
            exitCode = dead.ExitCode;
        }
        catch (InvalidOperationException)
        {
            // Not available; the numbers stay unknown.
        }

        // Ctrl-C in a terminal reaches Azurite and this host at the same moment: give the host's own stop a second to
        // say that this exit was asked for.
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1), _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        Logs.AzuriteExitedUnexpectedly(_logger, pid, exitCode, _output.Snapshot());
        string what = string.Create(CultureInfo.InvariantCulture, $"Azurite (pid {pid}) exited by itself with code {exitCode}");
        if (!_options.RestartOnExit)
        {
            GiveUp(what);
            return;
        }

        if (_options.InMemory)
        {
            GiveUp(what + "; its data was in memory and is gone, so it is not restarted");
            return;
        }

        string reason = "no attempt was made";
        for (int attempt = 1; attempt <= _options.MaxRestartAttempts; attempt++)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(attempt == 1 ? 0 : Math.Min(Math.Pow(2, attempt - 2), 30)), _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (_dataDirectory is not null && !Directory.Exists(_dataDirectory))
            {
                // Started over an empty folder it would come back without the data the engine expects.
                reason = "its data folder " + _dataDirectory + " is gone or is not a folder";
                break;
            }

            Logs.AzuriteRestarting(_logger, BlobPort, QueuePort, TablePort, attempt, _options.MaxRestartAttempts);
            var output = new OutputTail(OutputTailLines);
            Process next;
            try
            {
                next = StartProcess(_root, _entryPoint, _dataDirectory, BlobPort, QueuePort, TablePort, output, _logger);
            }
            catch (InvalidOperationException ex)
            {
                reason = string.Create(CultureInfo.InvariantCulture, $"attempt {attempt} of {_options.MaxRestartAttempts} failed: {ex.Message}");
                Logs.AzuriteRestartFailed(_logger, attempt, ex.Message);
                continue;
            }

            lock (_gate)
            {
                if (Volatile.Read(ref _disposed) != 0)
                {
                    KillQuietly(next);
                    return;
                }

                _process = next;
                _output = output;
            }

            StartResult result;
            try
            {
                result = await WaitUntilReadyAsync(_options.StartTimeout, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return; // DisposeAsync stops the current process.
            }

            if (result == StartResult.Ready)
            {
                dead.Dispose();
                Logs.AzuriteRestarted(_logger, next.Id);
                Watch(next);
                return;
            }

            string failure = result == StartResult.ExitedEarly
                ? string.Create(CultureInfo.InvariantCulture, $"it exited during start-up with code {next.ExitCode}: {output.Snapshot()}")
                : string.Create(CultureInfo.InvariantCulture, $"it did not accept connections within {_options.StartTimeout.TotalSeconds:0.#} s: {output.Snapshot()}");
            reason = string.Create(CultureInfo.InvariantCulture, $"attempt {attempt} of {_options.MaxRestartAttempts} failed: {failure}");
            Logs.AzuriteRestartFailed(_logger, attempt, failure);
            KillQuietly(next);
        }

        GiveUp(string.Create(CultureInfo.InvariantCulture,
            $"{what} and could not be restarted on ports {BlobPort}, {QueuePort}, {TablePort}: {reason}"));
    }

    private void GiveUp(string reason)
    {
        LostReason = reason;
        try
        {
            _lost.Cancel();
        }
        catch (AggregateException)
        {
            // A listener failed; the reason stands.
        }
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(StopTimeout);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }

    private async Task<StartResult> WaitUntilReadyAsync(TimeSpan startTimeout, CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        int[] ports = [BlobPort, QueuePort, TablePort];
        bool[] accepting = new bool[ports.Length];
        while (true)
        {
            if (_process.HasExited)
            {
                // Also waits for the redirected output to reach EOF, so the tail is complete.
                using var drain = CancellationTokenSource.CreateLinkedTokenSource(ct);
                drain.CancelAfter(TimeSpan.FromSeconds(2));
                try
                {
                    await _process.WaitForExitAsync(drain.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    // Output not fully drained; report what there is.
                }

                return StartResult.ExitedEarly;
            }

            bool allAccepting = true;
            for (int i = 0; i < ports.Length; i++)
            {
                if (!accepting[i])
                {
                    accepting[i] = await CanConnectAsync(ports[i], ct).ConfigureAwait(false);
                    allAccepting &= accepting[i];
                }
            }

            // Azurite's own "successfully listening" lines make sure that the listener on each port is Azurite and
            // not another process that grabbed a port between PickFreePorts and Azurite's bind (it then fails with
            // EADDRINUSE and exits, and the next loop iteration sees that).
            if (allAccepting && _output.AllListening(ports) && !_process.HasExited)
            {
                Logs.AzuriteReady(_logger, _process.Id, stopwatch.ElapsedMilliseconds, BlobPort, QueuePort, TablePort);
                return StartResult.Ready;
            }

            if (stopwatch.Elapsed >= startTimeout)
            {
                return StartResult.TimedOut;
            }

            await Task.Delay(PollInterval, ct).ConfigureAwait(false);
        }
    }

    private void StopOnProcessExit()
    {
        // Runs on AppDomain.ProcessExit (normal exit, SIGTERM, Ctrl+C through the host). No logging: the logging
        // providers may already be disposed. Synchronous on purpose.
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        try
        {
            // This exit is asked for: no restart.
            _stopping.Cancel();
            if (_process.HasExited)
            {
                return;
            }

            RequestShutdown(_process);
            if (!_process.WaitForExit(ProcessExitStopTimeout))
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // The process is gone already; nothing left to stop.
        }
    }

    private static void RequestShutdown(Process process)
    {
        if (OperatingSystem.IsWindows())
        {
            // No SIGTERM on Windows: closing stdin makes the watchdog stop Azurite.
            process.StandardInput.Close();
            return;
        }

        // Process.Kill() would be SIGKILL; SIGTERM lets Azurite close its servers.
        if (NativeMethods.Kill(process.Id, SigTerm) != 0)
        {
            process.Kill(entireProcessTree: true);
        }
    }

    private static Process StartProcess(
        string root, string entryPoint, string? dataDirectory, int blobPort, int queuePort, int tablePort,
        OutputTail output, ILogger logger)
    {
        var startInfo = new ProcessStartInfo("node")
        {
            WorkingDirectory = dataDirectory ?? root,
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        // An inherited AZURITE_ACCOUNTS would replace the well-known account that ConnectionString uses.
        startInfo.Environment.Remove("AZURITE_ACCOUNTS");

        string[] arguments =
        [
            "-e", WatchdogScript, "--", entryPoint,
            "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
            "--blobPort", blobPort.ToString(CultureInfo.InvariantCulture),
            "--queuePort", queuePort.ToString(CultureInfo.InvariantCulture),
            "--tablePort", tablePort.ToString(CultureInfo.InvariantCulture),
            "--skipApiVersionCheck", "--disableTelemetry", "--loose", "--silent",
        ];
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (dataDirectory is null)
        {
            startInfo.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            startInfo.ArgumentList.Add("--location");
            startInfo.ArgumentList.Add(dataDirectory);
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => OnOutput(e.Data, isError: false);
        process.ErrorDataReceived += (_, e) => OnOutput(e.Data, isError: true);
        try
        {
            if (!process.Start())
            {
                throw new InvalidOperationException("Could not start Node.js (`node`) for Azurite.");
            }
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            throw new InvalidOperationException(
                "Could not start Azurite with Node.js (`node`): " + ex.Message + ". Is Node.js 20 or later on PATH?", ex);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;

        void OnOutput(string? line, bool isError)
        {
            if (string.IsNullOrEmpty(line))
            {
                return;
            }

            output.Add(isError ? "[stderr] " + line : line);
            try
            {
                if (isError)
                {
                    Logs.AzuriteErrorOutput(logger, line);
                }
                else
                {
                    Logs.AzuriteOutput(logger, line);
                }
            }
            catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException)
            {
                // Logging providers already disposed (late output during shutdown).
            }
        }
    }

    private static (int Blob, int Queue, int Table) PickFreePorts()
    {
        // All three listeners are held at once so the ports are distinct; released right before Azurite binds them.
        var listeners = new TcpListener[3];
        try
        {
            for (int i = 0; i < listeners.Length; i++)
            {
                listeners[i] = new TcpListener(IPAddress.Loopback, 0);
                listeners[i].Start();
            }

            return (Port(listeners[0]), Port(listeners[1]), Port(listeners[2]));
        }
        finally
        {
            foreach (TcpListener? listener in listeners)
            {
                listener?.Stop();
            }
        }

        static int Port(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> CanConnectAsync(int port, CancellationToken ct)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ConnectProbeTimeout);
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }

    private static string ResolveRepositoryRoot(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        string[] starts = [AppContext.BaseDirectory, Directory.GetCurrentDirectory()];

        // Prefer a folder where Azurite is installed, then one whose package.json declares it (not installed yet).
        foreach (string start in starts)
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, EntryPointRelativePath)))
                {
                    return dir.FullName;
                }
            }
        }

        foreach (string start in starts)
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                string packageJson = Path.Combine(dir.FullName, "package.json");
                if (File.Exists(packageJson) && File.ReadAllText(packageJson).Contains("\"azurite\"", StringComparison.Ordinal))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException(
            "Azurite is not installed: run `npm ci` in the repository root (no folder with node_modules/azurite or a package.json declaring azurite was found above "
            + AppContext.BaseDirectory + " or " + Directory.GetCurrentDirectory() + "; or set AzuriteLaunchOptions.RepositoryRoot).");
    }

    private static string BuildConnectionString(int blobPort, int queuePort, int tablePort) =>
        string.Create(CultureInfo.InvariantCulture,
            $"DefaultEndpointsProtocol=http;AccountName={DevelopmentAccountName};AccountKey={DevelopmentAccountKey};BlobEndpoint=http://127.0.0.1:{blobPort}/{DevelopmentAccountName};QueueEndpoint=http://127.0.0.1:{queuePort}/{DevelopmentAccountName};TableEndpoint=http://127.0.0.1:{tablePort}/{DevelopmentAccountName};");

    private enum StartResult
    {
        Ready,
        ExitedEarly,
        TimedOut,
    }

    /// <summary>The last lines Azurite printed, for error messages; also tracks its "listening" lines.</summary>
    private sealed class OutputTail(int capacity)
    {
        private const string ListeningMarker = "successfully listening at http://127.0.0.1:";
        private readonly Queue<string> _lines = new();
        private readonly HashSet<int> _listeningPorts = [];
        private readonly Lock _gate = new();

        public void Add(string line)
        {
            lock (_gate)
            {
                if (_lines.Count == capacity)
                {
                    _lines.Dequeue();
                }

                _lines.Enqueue(line);
                int marker = line.IndexOf(ListeningMarker, StringComparison.Ordinal);
                if (marker >= 0 && int.TryParse(
                        line.AsSpan(marker + ListeningMarker.Length).TrimEnd('/'), NumberStyles.None, CultureInfo.InvariantCulture, out int port))
                {
                    _listeningPorts.Add(port);
                }
            }
        }

        public bool AllListening(int[] ports)
        {
            lock (_gate)
            {
                return ports.All(_listeningPorts.Contains);
            }
        }

        public string Snapshot()
        {
            lock (_gate)
            {
                return _lines.Count == 0 ? "(no output)" : string.Join(Environment.NewLine, _lines);
            }
        }
    }

    // DllImport rather than LibraryImport: the signature is blittable (no marshalling code is needed), and
    // LibraryImport would force <AllowUnsafeBlocks> on the whole project (SYSLIB1062).
    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "kill")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int Kill(int pid, int sig);
    }
}

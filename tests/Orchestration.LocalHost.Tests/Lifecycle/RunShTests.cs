using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Reflection;
using Orchestration.LocalHost.Tests.Durability;
using Orchestration.LocalHost.Tests.Infrastructure;

namespace Orchestration.LocalHost.Tests.Lifecycle;

/// <summary>
/// <c>./run.sh &amp;</c> from a script: the shell starts a background job with SIGINT ignored, and the host kept running
/// (without its Azurite) after a SIGINT. SIGINT and SIGTERM must stop the host and its Azurite.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class RunShTests
{
    const string ApiKey = "run-sh-key-0123456789";

    /// <summary>Start-up (Azurite, engine) and a graceful stop on a loaded box.</summary>
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(180);

    public TestContext TestContext { get; set; } = null!;

    CancellationToken Cancel => TestContext.CancellationToken;

    [TestMethod]
    [DataRow("INT")]
    [DataRow("TERM")]
    public async Task RunShInTheBackgroundOfAScript_Signal_StopsHostAndAzurite(string signal)
    {
        string configuration = typeof(RunShTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        if (configuration != "Release")
        {
            Assert.Inconclusive("run.sh runs the Release build of the local host; build and test with -c Release.");
        }

        _ = LocalHostProcess.LocalHostDll(); // inconclusive when the host is not built
        string data = Directory.CreateTempSubdirectory("run-sh-azurite-").FullName;
        int port = LocalHostProcess.FreePort();
        var output = new ConcurrentQueue<string>();
        int pid = -1;
        int azuritePid = -1;
        bool passed = false;

        // Exactly what a script does: `./run.sh &` in a non-interactive bash (no job control), then waits for it.
        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Repository.Root,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(
            "./run.sh \"$@\" & echo \"run.sh pid $!\"; wait $!; echo \"run.sh exit $?\"");
        info.ArgumentList.Add("script");
        foreach (string arg in new[]
                 {
                     $"--urls=http://127.0.0.1:{port}", $"--LocalHost:AzuriteLocation={data}", $"--LocalHost:ApiKey={ApiKey}",
                     $"--Durable:TaskHub={TestHost.NewTaskHub()}", "--LocalHost:Timers=false", "--Durable:StopTimeoutSeconds=3",
                 })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["RUN_NO_BUILD"] = "1";
        info.Environment.Remove("ASPNETCORE_URLS");
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        using var script = new Process { StartInfo = info };
        script.OutputDataReceived += (_, e) => Keep("out", e.Data);
        script.ErrorDataReceived += (_, e) => Keep("err", e.Data);
        script.Start();
        script.BeginOutputReadLine();
        script.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
        var clock = Stopwatch.StartNew();
        try
        {
            await Eventually.HoldsAsync(() => Task.FromResult(pid > 0), Patience, "run.sh to be started");
            await Eventually.HoldsAsync(
                async () =>
                {
                    Assert.IsTrue(HostProcesses.IsRunning(pid), "the host exited during start-up");
                    return await HostProcesses.HealthAsync(http, Cancel) == HttpStatusCode.OK;
                },
                Patience,
                "the host to answer /api/health");
            int[] children = HostProcesses.Children(pid);
            Assert.HasCount(1, children, "the host's one child is its Azurite");
            azuritePid = children[0];

            TimeSpan up = clock.Elapsed;
            output.Enqueue($"[test] kill -{signal} {pid}");
            await OwnAzurite.SignalAsync(signal, pid);
            await Eventually.HoldsAsync(
                () => Task.FromResult(!HostProcesses.IsRunning(pid) && !HostProcesses.IsRunning(azuritePid)),
                Patience,
                $"the host (pid {pid}) and its Azurite (pid {azuritePid}) to end after SIG{signal}");
            using var exited = new CancellationTokenSource(Patience);
            await script.WaitForExitAsync(exited.Token);
            Assert.IsTrue(output.Any(l => l.Contains("run.sh exit 0", StringComparison.Ordinal)), "run.sh ended with exit code 0");
            TestContext.WriteLine($"host pid {pid} with Azurite pid {azuritePid}: healthy after {up.TotalSeconds:0.0} s, both gone {(clock.Elapsed - up).TotalSeconds:0.0} s after SIG{signal}");
            passed = true;
        }
        finally
        {
            foreach (int leftover in new[] { pid, azuritePid }.Where(p => p > 0 && HostProcesses.IsRunning(p)))
            {
                await OwnAzurite.SignalAsync("KILL", leftover);
            }

            if (!passed)
            {
                foreach (string line in output)
                {
                    TestContext.WriteLine(line);
                }
            }

            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
                // Left for the system's temp clean-up.
            }
        }

        void Keep(string stream, string? line)
        {
            if (line is null)
            {
                return;
            }

            output.Enqueue($"[{stream}] {line}");
            if (line.StartsWith("run.sh pid ", StringComparison.Ordinal))
            {
                pid = int.Parse(line.AsSpan("run.sh pid ".Length), CultureInfo.InvariantCulture);
            }
        }
    }
}

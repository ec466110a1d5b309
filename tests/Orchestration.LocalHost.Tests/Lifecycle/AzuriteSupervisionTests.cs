using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using Orchestration.LocalHost.Tests.Durability;
using Orchestration.LocalHost.Tests.Infrastructure;

namespace Orchestration.LocalHost.Tests.Lifecycle;

/// <summary>
/// The host started with <c>--azurite</c> (as ./run.sh does) looks after its Azurite: when Azurite dies it is started
/// again on the same ports over the same data; when that cannot be done the host stops, says why, and exits 1.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed partial class AzuriteSupervisionTests
{
    const string ApiKey = "supervision-key-0123456789";
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(180);

    public TestContext TestContext { get; set; } = null!;

    CancellationToken Cancel => TestContext.CancellationToken;

    [TestMethod]
    public async Task AzuriteDies_HostRestartsItWithTheSameDataAndPorts()
    {
        await using var run = await SupervisedHost.StartAsync(Cancel);
        bool passed = false;
        try
        {
            var blobs = new BlobServiceClient(run.ConnectionString);
            BlobContainerClient container = blobs.GetBlobContainerClient($"kept{Guid.NewGuid():N}");
            await container.CreateAsync(cancellationToken: Cancel);
            await container.UploadBlobAsync("before.txt", BinaryData.FromString("written before Azurite died"), Cancel);

            // Azurite saves its metadata every 5 s; a SIGKILL loses what it has not saved yet. Kill it once it has saved.
            string saved = Path.Combine(run.Data, "__azurite_db_blob__.json");
            await Eventually.HoldsAsync(
                async () => File.Exists(saved) && (await File.ReadAllTextAsync(saved, Cancel)).Contains(container.Name, StringComparison.Ordinal),
                Patience,
                "Azurite to save the new container");
            int first = run.AzuritePid();
            await OwnAzurite.SignalAsync("KILL", first);
            await Eventually.HoldsAsync(
                async () =>
                {
                    Assert.IsTrue(HostProcesses.IsRunning(run.Pid), "the host must not exit when its Azurite can be restarted");
                    int[] children = HostProcesses.Children(run.Pid);
                    return children.Length == 1 && children[0] != first && await HostProcesses.HealthAsync(run.Http, Cancel) == HttpStatusCode.OK;
                },
                Patience,
                "a new Azurite and /api/health 200");

            // Same ports (the connection string the host runs with still works) and same data.
            BinaryData kept = (await container.GetBlobClient("before.txt").DownloadContentAsync(Cancel)).Value.Content;
            Assert.AreEqual("written before Azurite died", kept.ToString());
            Assert.IsTrue(run.Output.Any(l => l.Contains("Azurite is back", StringComparison.Ordinal)), "the restart is logged");
            passed = true;
        }
        finally
        {
            run.WriteOutputUnless(passed, TestContext);
        }
    }

    [TestMethod]
    public async Task AzuriteDiesAndCannotBeRestarted_HostStopsSayingWhy()
    {
        await using var run = await SupervisedHost.StartAsync(Cancel);
        bool passed = false;
        try
        {
            int azurite = run.AzuritePid();

            // Azurite's data folder becomes a file before the host can restart Azurite (the host is frozen meanwhile): its
            // data is gone, so the host must not start an empty Azurite in its place.
            await OwnAzurite.SignalAsync("STOP", run.Pid);
            try
            {
                await OwnAzurite.SignalAsync("KILL", azurite);
                await Eventually.HoldsAsync(() => Task.FromResult(!HostProcesses.IsRunning(azurite)), Patience, "Azurite to die");
                Directory.Delete(run.Data, recursive: true);
                await File.WriteAllTextAsync(run.Data, "not a folder", Cancel);
            }
            finally
            {
                await OwnAzurite.SignalAsync("CONT", run.Pid);
            }

            await Eventually.HoldsAsync(() => Task.FromResult(run.HasExited), Patience, "the host to give up and stop");
            Assert.AreEqual(1, run.ExitCode, "a host that lost its storage exits non-zero");
            Assert.IsTrue(
                run.Output.Any(l => l.Contains("Stopping the local host", StringComparison.Ordinal) && l.Contains("could not be restarted", StringComparison.Ordinal)
                    && l.Contains("is gone or is not a folder", StringComparison.Ordinal)),
                "the host says why it stops");
            Assert.IsEmpty(HostProcesses.Children(run.Pid));
            TestContext.WriteLine(run.Output.First(l => l.Contains("Stopping the local host", StringComparison.Ordinal)));
            passed = true;
        }
        finally
        {
            run.WriteOutputUnless(passed, TestContext);
        }
    }

    /// <summary>The local host as a process with <c>--azurite</c> (its data in a temporary folder).</summary>
    sealed partial class SupervisedHost : IAsyncDisposable
    {
        readonly LocalHostProcess process;

        SupervisedHost(LocalHostProcess process, string data, ConcurrentQueue<string> output, HttpClient http)
        {
            this.process = process;
            Data = data;
            Output = output;
            Http = http;
        }

        public ConcurrentQueue<string> Output { get; }

        /// <summary>Azurite's data folder.</summary>
        public string Data { get; }

        public HttpClient Http { get; }

        public int Pid => process.Id;

        public bool HasExited => process.HasExited;

        public int ExitCode => process.ExitCode;

        public string ConnectionString =>
            Output.Select(l => ConnectionLine().Match(l)).FirstOrDefault(m => m.Success)?.Groups[1].Value
            ?? throw new AssertFailedException("the host did not log its Azurite connection string");

        public static async Task<SupervisedHost> StartAsync(CancellationToken cancel)
        {
            string data = Directory.CreateTempSubdirectory("supervised-azurite-").FullName;
            int port = LocalHostProcess.FreePort();
            var output = new ConcurrentQueue<string>();
            LocalHostProcess process = LocalHostProcess.Start(
                LocalHostProcess.LocalHostDll(),
                [
                    "--azurite", $"--urls=http://127.0.0.1:{port}", $"--LocalHost:AzuriteLocation={data}", $"--LocalHost:ApiKey={ApiKey}",
                    $"--Durable:TaskHub={TestHost.NewTaskHub()}", "--LocalHost:Timers=false", "--Durable:StopTimeoutSeconds=3",
                ],
                output,
                "host");
            var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
            var host = new SupervisedHost(process, data, output, http);
            await Eventually.HoldsAsync(
                async () =>
                {
                    Assert.IsFalse(process.HasExited, "the host exited during start-up");
                    return await HostProcesses.HealthAsync(http, cancel) == HttpStatusCode.OK;
                },
                Patience,
                "the host to answer /api/health");
            return host;
        }

        public int AzuritePid()
        {
            int[] children = HostProcesses.Children(Pid);
            Assert.HasCount(1, children, "the host's one child is its Azurite");
            return children[0];
        }

        public void WriteOutputUnless(bool passed, TestContext context)
        {
            if (!passed)
            {
                foreach (string line in Output)
                {
                    context.WriteLine(line);
                }
            }
        }

        public ValueTask DisposeAsync()
        {
            foreach (int child in HostProcesses.Children(Pid))
            {
                try
                {
                    System.Diagnostics.Process.GetProcessById(child).Kill();
                }
                catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
                {
                    // Gone.
                }
            }

            process.Dispose();
            Http.Dispose();
            try
            {
                if (File.Exists(Data))
                {
                    File.Delete(Data);
                }
                else
                {
                    Directory.Delete(Data, recursive: true);
                }
            }
            catch (IOException)
            {
                // Left for the system's temp clean-up.
            }

            return ValueTask.CompletedTask;
        }

        [GeneratedRegex(@"Connection string: (\S+)")]
        private static partial Regex ConnectionLine();
    }
}

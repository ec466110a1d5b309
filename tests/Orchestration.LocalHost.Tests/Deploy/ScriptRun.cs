using System.Diagnostics;

namespace Orchestration.LocalHost.Tests.Deploy;

/// <summary>What a script run printed and how it ended.</summary>
internal sealed record ScriptResult(int ExitCode, string Stdout, string Stderr)
{
    public string Output => Stdout + Stderr;

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>Runs one of the repository's bash scripts.</summary>
internal static class ScriptRun
{
    /// <summary>
    /// Runs <paramref name="script"/> with bash, <paramref name="pathFirst"/> (the fakes) first on PATH and no standard
    /// input. Output goes to files rather than pipes: a build server a script leaves running would hold a pipe open.
    /// </summary>
    public static async Task<ScriptResult> RunAsync(
        string script, IEnumerable<string> arguments, string? pathFirst, TimeSpan timeout, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        string outputFolder = Directory.CreateTempSubdirectory("script-run-").FullName;
        try
        {
            string stdout = Path.Combine(outputFolder, "stdout");
            string stderr = Path.Combine(outputFolder, "stderr");
            var start = new ProcessStartInfo("bash") { UseShellExecute = false };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("\"$0\" \"$@\" >\"$SCRIPT_STDOUT\" 2>\"$SCRIPT_STDERR\" </dev/null");
            start.ArgumentList.Add(script);
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["SCRIPT_STDOUT"] = stdout;
            start.Environment["SCRIPT_STDERR"] = stderr;
            if (pathFirst is not null)
            {
                start.Environment["PATH"] = pathFirst + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
            }

            foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
            {
                start.Environment[name] = value;
            }

            using Process process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
            using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeoutSource.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(timeoutSource.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new AssertFailedException($"{script} did not finish within {timeout}:\n{ReadIfAny(stdout)}\n{ReadIfAny(stderr)}");
            }

            return new ScriptResult(process.ExitCode, ReadIfAny(stdout), ReadIfAny(stderr));
        }
        finally
        {
            Directory.Delete(outputFolder, recursive: true);
        }
    }

    static string ReadIfAny(string path) => File.Exists(path) ? File.ReadAllText(path) : "";
}

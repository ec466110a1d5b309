using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchestration.LocalHost.Tests.Deploy;

/// <summary>
/// A fake <c>az</c> and <c>curl</c> in a folder of their own, to put first on PATH: they record every call and answer
/// what the test set up, so deploy/deploy.sh can run here from start to end without Azure.
/// </summary>
internal sealed class FakeAzure : IDisposable
{
    /// <summary>Separates the fields of the fakes' files: a byte no argument or answer contains.</summary>
    const char Separator = '\u001f';

    // The answer is looked up by the command's words before its first option and its --query. The last line that
    // matches wins, so a scenario can override a default. A --query nobody answered is an error: the script asks for
    // something the test does not know about.
    const string AzScript = """
        #!/usr/bin/env bash
        # Fake az for the deploy tests: logs the arguments, answers from az.answers (key, exit, stdout, stderr).
        set -euo pipefail
        fake="$(dirname "$0")/.."
        sep=$'\x1f'
        (IFS="$sep" && printf '%s\n' "$*") >>"$fake/az.log"
        words="" query="" previous=""
        for arg in "$@"; do
          [[ "$previous" == --query ]] && query="$arg"
          previous="$arg"
        done
        for arg in "$@"; do
          [[ "$arg" == -* ]] && break
          words+="${words:+ }$arg"
        done
        found=false code=0 out="" err=""
        while IFS="$sep" read -r key c o e; do
          if [[ "$key" == "$words|$query" ]]; then
            found=true code="$c" out="$o" err="$e"
          fi
        done <"$fake/az.answers"
        if ! $found && [[ -n "$query" ]]; then
          echo "fake az: no answer for '$words' --query '$query'" >&2
          exit 2
        fi
        [[ -z "$out" ]] || printf '%s\n' "$out"
        [[ -z "$err" ]] || printf '%s\n' "$err" >&2
        exit "$code"
        """;

    // Answers like `curl -o FILE -w '%{http_code}'`: the body into FILE, the status on stdout. Headers passed as
    // -H @FILE are kept, so a test can see what was sent without it ever being on a command line.
    const string CurlScript = """
        #!/usr/bin/env bash
        # Fake curl for the deploy tests: logs the arguments, writes curl.body to -o FILE, prints curl.status.
        set -euo pipefail
        fake="$(dirname "$0")/.."
        (IFS=$'\x1f' && printf '%s\n' "$*") >>"$fake/curl.log"
        previous="" output=/dev/stdout
        for arg in "$@"; do
          [[ "$previous" == -o ]] && output="$arg"
          [[ "$previous" == -H && "$arg" == @* ]] && cat "${arg#@}" >>"$fake/curl.headers"
          previous="$arg"
        done
        cat "$fake/curl.body" >"$output"
        cat "$fake/curl.status"
        """;

    readonly string folder = Directory.CreateTempSubdirectory("fake-azure-").FullName;

    public FakeAzure()
    {
        Directory.CreateDirectory(Bin);
        WriteExecutable("az", AzScript);
        WriteExecutable("curl", CurlScript);
        File.WriteAllText(Path.Combine(folder, "az.answers"), "");
        HttpResponse(200, "{}");
    }

    /// <summary>The folder with <c>az</c> and <c>curl</c>, for the front of PATH.</summary>
    public string Bin => Path.Combine(folder, "bin");

    /// <summary>Every az call so far, as its arguments.</summary>
    public IReadOnlyList<string[]> AzCalls => ReadCalls("az.log");

    /// <summary>Every curl call so far, as its arguments.</summary>
    public IReadOnlyList<string[]> CurlCalls => ReadCalls("curl.log");

    /// <summary>The headers curl was given in files (<c>-H @file</c>).</summary>
    public string CurlHeaders => ReadIfAny("curl.headers");

    /// <summary>The command (its words before the first option; with <paramref name="query"/>, as asked with --query) answers this.</summary>
    public FakeAzure Answer(string command, string? query, string stdout, int exitCode = 0, string stderr = "")
    {
        File.AppendAllText(
            Path.Combine(folder, "az.answers"),
            string.Join(Separator, $"{command}|{query}", exitCode, stdout, stderr) + "\n");
        return this;
    }

    /// <summary>
    /// The command answers <paramref name="json"/> as a whole (compacted) and, for each of <paramref name="queries"/>
    /// (dotted paths), the value at that path as <c>-o tsv</c> prints it.
    /// </summary>
    public FakeAzure AnswerJson(string command, string json, params string[] queries)
    {
        JsonNode document = JsonNode.Parse(json)!;
        Answer(command, null, document.ToJsonString());
        foreach (string query in queries)
        {
            JsonNode? value = query.Split('.').Aggregate((JsonNode?)document, (node, name) => node?[name]);
            string tsv = value switch
            {
                null => "",
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                _ => value.ToJsonString(),
            };
            Answer(command, query, tsv);
        }

        return this;
    }

    /// <summary>The command fails as az does for a resource that is not there.</summary>
    public FakeAzure Missing(string command) =>
        Answer(command, null, "", exitCode: 3, stderr: "ERROR: (ResourceNotFound) The resource was not found.");

    /// <summary>What every curl call answers.</summary>
    public FakeAzure HttpResponse(int status, string body)
    {
        File.WriteAllText(Path.Combine(folder, "curl.status"), status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        File.WriteAllText(Path.Combine(folder, "curl.body"), body);
        return this;
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    void WriteExecutable(string name, string script)
    {
        string path = Path.Combine(Bin, name);
        File.WriteAllText(path, script.ReplaceLineEndings("\n") + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    List<string[]> ReadCalls(string log) =>
        ReadIfAny(log).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(Separator)).ToList();

    string ReadIfAny(string name)
    {
        string path = Path.Combine(folder, name);
        return File.Exists(path) ? File.ReadAllText(path) : "";
    }
}

namespace Orchestration.Bench;

/// <summary>The command line every mode shares: <c>--name value</c> options of its own, and <c>--Section:Key=value</c> settings passed on to the host.</summary>
internal static class BenchArgs
{
    /// <summary>The whole number after <paramref name="name"/>, or <paramref name="fallback"/> when it is not given.</summary>
    public static int Int(string[] args, string name, int fallback) =>
        args.SkipWhile(a => a != name).Skip(1).Select(int.Parse).FirstOrDefault(fallback);

    /// <summary>The configuration arguments (<c>--Durable:…</c>, <c>--FraudScan:…</c>, …): what the host is started with beyond the bench's own settings.</summary>
    public static string[] HostSettings(string[] args) =>
        args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains(':', StringComparison.Ordinal)).ToArray();

    /// <summary>A line of progress on stderr, so stdout holds only the report.</summary>
    public static void Progress(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}

namespace Orchestration.LocalHost.Tests.Infrastructure;

/// <summary>The repository the tests run from: the folder above the test assembly that holds Orchestration.sln.</summary>
internal static class Repository
{
    static readonly Lazy<string> RootFolder = new(() =>
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Orchestration.sln")))
            {
                return folder.FullName;
            }
        }

        throw new AssertFailedException($"no Orchestration.sln above {AppContext.BaseDirectory}");
    });

    public static string Root => RootFolder.Value;

    /// <summary>A path below the root, given with '/' separators.</summary>
    public static string PathOf(string relativePath) => Path.Combine(Root, relativePath.Replace('/', Path.DirectorySeparatorChar));
}

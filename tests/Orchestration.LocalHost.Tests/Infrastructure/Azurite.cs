using Microsoft.Extensions.Logging.Abstractions;
using Orchestration.LocalHost.Azurite;

namespace Orchestration.LocalHost.Tests.Infrastructure;

/// <summary>
/// One Azurite for the whole test assembly, started on free loopback ports by the tests themselves and stopped after.
/// Every test isolates itself with its own task hub and container names, so sharing it is safe.
/// </summary>
[TestClass]
public static class Azurite
{
    static AzuriteLauncher? launcher;

    public static string ConnectionString =>
        launcher?.ConnectionString ?? throw new InvalidOperationException("Azurite was not started (AssemblyInitialize did not run).");

    [AssemblyInitialize]
    public static async Task StartAsync(TestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        launcher = await AzuriteLauncher.StartAsync(new AzuriteLaunchOptions { InMemory = true, StartTimeout = Deadlines.Short }, NullLogger.Instance, context.CancellationToken);
    }

    [AssemblyCleanup]
    public static async Task StopAsync()
    {
        if (launcher is not null)
        {
            await launcher.DisposeAsync();
        }
    }
}

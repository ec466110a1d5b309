namespace Orchestration.LocalHost.Triggers;

/// <summary>Placeholder: replaced by the real watcher.</summary>
internal sealed class BlobWatcher : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.CompletedTask;
}

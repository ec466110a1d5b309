namespace Orchestration.LocalHost.Tests.Infrastructure;

/// <summary>Waits for a condition instead of sleeping: polls until it holds or the deadline passes.</summary>
public static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(probe);
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            if (await probe() is T value)
            {
                return value;
            }

            try
            {
                await Task.Delay(50, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new AssertFailedException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}.");
            }
        }
    }

    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        await ReturnsAsync<object>(async () => await condition() ? new object() : null, timeout, what);
    }
}

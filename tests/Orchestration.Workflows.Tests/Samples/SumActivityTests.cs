using Orchestration.Workflows.Samples;
using Orchestration.Workflows.Tests.Infrastructure;

namespace Orchestration.Workflows.Tests.Samples;

[TestClass]
public sealed class SumActivityTests
{
    [TestMethod]
    public async Task RunAsync_Values_ReturnsTheirSum()
    {
        long result = await new SumActivity().RunAsync(ActivityContexts.For(nameof(SumActivity)), [1, 4, 9, 16, -5]);

        Assert.AreEqual(25L, result);
    }

    [TestMethod]
    public async Task RunAsync_Empty_ReturnsZero()
    {
        long result = await new SumActivity().RunAsync(ActivityContexts.For(nameof(SumActivity)), []);

        Assert.AreEqual(0L, result);
    }

    [TestMethod]
    public async Task RunAsync_LargeValuesThatFit_ReturnsExactSum()
    {
        long result = await new SumActivity().RunAsync(ActivityContexts.For(nameof(SumActivity)), [long.MaxValue - 10, 10]);

        Assert.AreEqual(long.MaxValue, result);
    }

    [TestMethod]
    public async Task RunAsync_SumPastLongMax_ThrowsOverflow()
    {
        await Assert.ThrowsExactlyAsync<OverflowException>(
            () => new SumActivity().RunAsync(ActivityContexts.For(nameof(SumActivity)), [long.MaxValue, 1]));
    }

    [TestMethod]
    public async Task RunAsync_SumPastLongMin_ThrowsOverflow()
    {
        await Assert.ThrowsExactlyAsync<OverflowException>(
            () => new SumActivity().RunAsync(ActivityContexts.For(nameof(SumActivity)), [long.MinValue, -1]));
    }

    [TestMethod]
    public async Task RunAsync_Null_ThrowsArgumentNull()
    {
        await Assert.ThrowsExactlyAsync<ArgumentNullException>(
            () => new SumActivity().RunAsync(ActivityContexts.For(nameof(SumActivity)), null!));
    }
}

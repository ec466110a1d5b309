using Orchestration.Workflows.Samples;
using Orchestration.Workflows.Tests.Infrastructure;

namespace Orchestration.Workflows.Tests.Samples;

[TestClass]
public sealed class SquareActivityTests
{
    [TestMethod]
    [DataRow(0, 0L)]
    [DataRow(1, 1L)]
    [DataRow(7, 49L)]
    [DataRow(-3, 9L)]
    [DataRow(99_999, 9_999_800_001L)]
    public async Task RunAsync_Index_ReturnsItsSquare(int input, long expected)
    {
        long result = await new SquareActivity().RunAsync(ActivityContexts.For(nameof(SquareActivity)), input);

        Assert.AreEqual(expected, result);
    }

    [TestMethod]
    public async Task RunAsync_IntMaxValue_DoesNotOverflowInt()
    {
        long result = await new SquareActivity().RunAsync(ActivityContexts.For(nameof(SquareActivity)), int.MaxValue);

        Assert.AreEqual(4_611_686_014_132_420_609L, result);
    }
}

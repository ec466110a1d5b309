using Orchestration.Workflows.Imaging;

namespace Orchestration.Workflows.Tests.Imaging;

[TestClass]
public sealed class RenderGateTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task EnterAsync_BeyondTheSlots_WaitsUntilALeaseIsGivenBack()
    {
        var gate = new RenderGate(2);
        RenderGate.Lease first = await gate.EnterAsync(TestContext.CancellationToken);
        using RenderGate.Lease second = await gate.EnterAsync(TestContext.CancellationToken);

        Task<RenderGate.Lease> third = gate.EnterAsync(TestContext.CancellationToken);
        Assert.IsFalse(third.IsCompleted, "both slots are taken");

        first.Dispose();
        using RenderGate.Lease granted = await third;
        Assert.IsTrue(third.IsCompletedSuccessfully);
    }

    [TestMethod]
    public async Task Lease_DisposedTwice_GivesBackOneSlot()
    {
        var gate = new RenderGate(1);
        RenderGate.Lease lease = await gate.EnterAsync(TestContext.CancellationToken);
        lease.Dispose();
        lease.Dispose();

        using RenderGate.Lease again = await gate.EnterAsync(TestContext.CancellationToken);
        Assert.IsFalse(gate.EnterAsync(TestContext.CancellationToken).IsCompleted, "still one slot, not two");
    }

    [TestMethod]
    public void Constructor_NoSlots_Refused() =>
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new RenderGate(0));
}

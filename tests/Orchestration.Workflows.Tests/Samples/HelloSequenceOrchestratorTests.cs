using Orchestration.Workflows.Durable;
using Orchestration.Workflows.Samples;
using Orchestration.Workflows.Tests.Infrastructure;

namespace Orchestration.Workflows.Tests.Samples;

[TestClass]
public sealed class HelloSequenceOrchestratorTests
{
    static OrchestrationContextFake GreetingContext()
    {
        var fake = new OrchestrationContextFake();
        fake.OnActivity<string>((_, input) => Task.FromResult($"greeted:{input}"));
        return fake;
    }

    [TestMethod]
    public async Task RunAsync_NullInput_GreetsTokyoSeattleLondonInOrder()
    {
        OrchestrationContextFake fake = GreetingContext();

        IReadOnlyList<string> result = await new HelloSequenceOrchestrator().RunAsync(fake.Object, null);

        CollectionAssert.AreEqual(new[] { "greeted:Tokyo", "greeted:Seattle", "greeted:London" }, result.ToArray());
        CollectionAssert.AreEqual(new object?[] { "Tokyo", "Seattle", "London" }, fake.Activities.Select(a => a.Input).ToArray());
    }

    [TestMethod]
    public async Task RunAsync_InputWithNullNames_UsesDefaultNames()
    {
        OrchestrationContextFake fake = GreetingContext();

        IReadOnlyList<string> result = await new HelloSequenceOrchestrator().RunAsync(fake.Object, new HelloSequenceInput(null));

        Assert.HasCount(3, result);
        Assert.AreEqual("greeted:Tokyo", result[0]);
    }

    [TestMethod]
    public async Task RunAsync_GivenNames_CallsSayHelloOncePerNameInOrderWithRetries()
    {
        OrchestrationContextFake fake = GreetingContext();
        string[] names = ["Zed", "Amy", "Mo"];

        IReadOnlyList<string> result = await new HelloSequenceOrchestrator().RunAsync(fake.Object, new HelloSequenceInput(names));

        CollectionAssert.AreEqual(new[] { "greeted:Zed", "greeted:Amy", "greeted:Mo" }, result.ToArray());
        Assert.HasCount(3, fake.Activities);
        for (int i = 0; i < names.Length; i++)
        {
            Assert.AreEqual(nameof(SayHelloActivity), fake.Activities[i].Name);
            Assert.AreEqual(names[i], fake.Activities[i].Input);
            OrchestrationContextFake.AssertRetries(fake.Activities[i].Options, $"call {i}");
        }
    }

    [TestMethod]
    public async Task RunAsync_FirstGreetingPending_DoesNotScheduleSecond()
    {
        var fake = new OrchestrationContextFake();
        var first = new TaskCompletionSource<string>();
        fake.OnActivity<string>((_, input) => (string?)input == "A" ? first.Task : Task.FromResult("later"));

        Task<IReadOnlyList<string>> run = new HelloSequenceOrchestrator().RunAsync(fake.Object, new HelloSequenceInput(["A", "B"]));

        Assert.IsFalse(run.IsCompleted);
        Assert.HasCount(1, fake.Activities, "chaining: the second activity must wait for the first");
        first.SetResult("first");
        IReadOnlyList<string> result = await run;
        CollectionAssert.AreEqual(new[] { "first", "later" }, result.ToArray());
    }

    [TestMethod]
    public async Task RunAsync_TwoNames_PublishesProgressPerStepThenDone()
    {
        OrchestrationContextFake fake = GreetingContext();

        await new HelloSequenceOrchestrator().RunAsync(fake.Object, new HelloSequenceInput(["A", "B"]));

        CollectionAssert.AreEqual(
            new object[] { new Progress("greeting", 0, 2), new Progress("greeting", 1, 2), new Progress("done", 2, 2) },
            fake.Statuses);
    }

    [TestMethod]
    public async Task RunAsync_EmptyNames_ReturnsEmptyWithoutActivities()
    {
        OrchestrationContextFake fake = GreetingContext();

        IReadOnlyList<string> result = await new HelloSequenceOrchestrator().RunAsync(fake.Object, new HelloSequenceInput([]));

        Assert.IsEmpty(result);
        Assert.IsEmpty(fake.Activities);
        CollectionAssert.AreEqual(new object[] { new Progress("done", 0, 0) }, fake.Statuses);
    }
}

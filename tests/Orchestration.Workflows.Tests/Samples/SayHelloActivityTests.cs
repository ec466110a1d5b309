using Orchestration.Workflows.Samples;
using Orchestration.Workflows.Tests.Infrastructure;

namespace Orchestration.Workflows.Tests.Samples;

[TestClass]
public sealed class SayHelloActivityTests
{
    [TestMethod]
    [DataRow("Tokyo", "Hello, Tokyo!")]
    [DataRow("São Paulo", "Hello, São Paulo!")]
    [DataRow("", "Hello, !")]
    public async Task RunAsync_Name_ReturnsGreeting(string name, string expected)
    {
        string result = await new SayHelloActivity().RunAsync(ActivityContexts.For(nameof(SayHelloActivity)), name);

        Assert.AreEqual(expected, result);
    }
}

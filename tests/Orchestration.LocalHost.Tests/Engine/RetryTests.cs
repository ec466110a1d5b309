using System.Collections.Concurrent;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Orchestration.LocalHost.Engine;
using Orchestration.LocalHost.Tests.Infrastructure;

namespace Orchestration.LocalHost.Tests.Engine;

/// <summary>What a flaky dependency throws; a type of the test's own, so the failure details must carry the real type.</summary>
public sealed class FlakyDependencyException : Exception
{
    public FlakyDependencyException()
    {
    }

    public FlakyDependencyException(string message)
        : base(message)
    {
    }

    public FlakyDependencyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Activity retries with a <see cref="RetryPolicy"/>: the engine re-schedules failed attempts after a durable delay.</summary>
[TestClass]
public sealed class RetryTests
{
    const string FlakyActivity = "Test_FlakyActivity";
    const string RetryingOrchestrator = "Test_RetryingOrchestrator";
    const int FailingAttempts = 2;

    /// <summary>Attempts per orchestration instance (instance ids are unique, so parallel tests never share an entry).</summary>
    static readonly ConcurrentDictionary<string, int> Attempts = new(StringComparer.Ordinal);

    public TestContext TestContext { get; set; } = null!;

    CancellationToken Cancel => TestContext.CancellationToken;

    static TestHostOptions Options(EngineBackend backend) => new()
    {
        Backend = backend,
        AddTasks = registry =>
        {
            registry.AddActivityFunc<int, int>(FlakyActivity, (context, failFirst) =>
            {
                int attempt = Attempts.AddOrUpdate(context.InstanceId, 1, (_, n) => n + 1);
                return attempt <= failFirst
                    ? throw new FlakyDependencyException($"attempt {attempt} for {context.InstanceId} failed on purpose")
                    : attempt;
            });

            // Input: the policy's maximum number of attempts.
            registry.AddOrchestratorFunc<int, int>(RetryingOrchestrator, (context, maxAttempts) =>
                context.CallActivityAsync<int>(
                    FlakyActivity,
                    FailingAttempts,
                    TaskOptions.FromRetryPolicy(new RetryPolicy(maxAttempts, TimeSpan.FromMilliseconds(100)))));
        },
    };

    [TestMethod]
    [DataRow(EngineBackend.InMemory)]
    [DataRow(EngineBackend.AzureStorage)]
    public async Task CallActivity_FailsTwiceWithThreeAttemptsAllowed_CompletesOnThirdAttempt(EngineBackend backend)
    {
        await using TestHost host = await TestHost.StartAsync(Options(backend), Cancel);

        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync(RetryingOrchestrator, 3, Cancel);
        OrchestrationMetadata done = await Instances.CompleteAsync(host.Client, id, Instances.Short, Cancel);

        Assert.AreEqual(3, done.ReadOutputAs<int>(), "the activity's own count of the attempt that succeeded");
        Assert.AreEqual(3, Attempts[id]);
    }

    [TestMethod]
    [DataRow(EngineBackend.InMemory)]
    [DataRow(EngineBackend.AzureStorage)]
    public async Task CallActivity_FailsTwiceWithTwoAttemptsAllowed_FailsWithRealExceptionTypeAndMessage(EngineBackend backend)
    {
        await using TestHost host = await TestHost.StartAsync(Options(backend), Cancel);

        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync(RetryingOrchestrator, 2, Cancel);
        OrchestrationMetadata done = await Instances.FinishAsync(host.Client, id, Instances.Short, Cancel);

        Assert.AreEqual(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.AreEqual(2, Attempts[id]);
        TaskFailureDetails? failure = done.FailureDetails;
        Assert.IsNotNull(failure);
        var chain = new List<TaskFailureDetails>();
        for (TaskFailureDetails? f = failure; f is not null; f = f.InnerFailure)
        {
            chain.Add(f);
        }

        string described = string.Join(" <- ", chain.Select(f => $"{f.ErrorType}: {f.ErrorMessage}"));
        TaskFailureDetails? cause = chain.Find(f => f.ErrorType == typeof(FlakyDependencyException).FullName);
        Assert.IsNotNull(cause, $"the activity's exception type is in the failure chain: {described}");
        Assert.AreEqual($"attempt 2 for {id} failed on purpose", cause.ErrorMessage, described);
        StringAssert.Contains(failure.ErrorMessage, FlakyActivity, "the orchestration's failure names the activity");
    }
}

using Azure;
using Microsoft.DurableTask;
using Orchestration.Workflows.Durable;

namespace Orchestration.Workflows.Tests.Durable;

[TestClass]
public sealed class TaskDefaultsTests
{
    /// <summary>As the worker reports a failure: ErrorType is the namespace-qualified type name (Exception.GetType().ToString()).</summary>
    static TaskFailureDetails FailureNamed(string errorType) => new(errorType, "boom", null, null, null);

    [TestMethod]
    [DataRow("Azure.RequestFailedException")]
    [DataRow("System.IO.IOException")]
    [DataRow("System.IO.EndOfStreamException")]
    [DataRow("System.TimeoutException")]
    [DataRow("Orchestration.Workflows.Durable.TransientFailureException")]
    public void IsTransient_RetriableErrorType_True(string errorType)
    {
        Assert.IsTrue(TaskDefaults.IsTransient(FailureNamed(errorType)));
    }

    [TestMethod]
    public void IsTransient_HttpRequestException_True()
    {
        Assert.IsTrue(TaskDefaults.IsTransient(TaskFailureDetails.FromException(new HttpRequestException("connection reset"))));
    }

    [TestMethod]
    public void IsTransient_SocketException_ReturnsTrueWithoutThrowing()
    {
        // A refused or reset connection is a network fault: worth a retry (and must not throw AmbiguousMatchException).
        Assert.IsTrue(TaskDefaults.IsTransient(FailureNamed("System.Net.Sockets.SocketException")));
    }

    [TestMethod]
    [DataRow("System.ArgumentException")]
    [DataRow("System.ArgumentNullException")]
    [DataRow("System.InvalidOperationException")]
    [DataRow("System.OverflowException")]
    [DataRow("Some.Unknown.Exception")]
    [DataRow("")]
    public void IsTransient_PermanentOrUnknownErrorType_False(string errorType)
    {
        Assert.IsFalse(TaskDefaults.IsTransient(FailureNamed(errorType)));
    }

    [TestMethod]
    public void IsTransient_FromRealExceptions_MatchesTheirTypes()
    {
        Assert.IsTrue(TaskDefaults.IsTransient(TaskFailureDetails.FromException(new RequestFailedException(503, "busy"))));
        Assert.IsTrue(TaskDefaults.IsTransient(TaskFailureDetails.FromException(new IOException("reset"))));
        Assert.IsTrue(TaskDefaults.IsTransient(TaskFailureDetails.FromException(new TimeoutException())));
        Assert.IsTrue(TaskDefaults.IsTransient(TaskFailureDetails.FromException(new TransientFailureException("try again"))));
        Assert.IsFalse(TaskDefaults.IsTransient(TaskFailureDetails.FromException(new ArgumentException("bad"))));
        Assert.IsFalse(TaskDefaults.IsTransient(TaskFailureDetails.FromException(new InvalidOperationException("no"))));
    }

    [TestMethod]
    public void IsTransient_PermanentWrappingTransient_False()
    {
        // What StorageErrors.Explain produces for a 404: the outer type decides.
        var failure = TaskFailureDetails.FromException(new InvalidOperationException("gone", new RequestFailedException(404, "not found")));

        Assert.IsFalse(TaskDefaults.IsTransient(failure));
    }

    [TestMethod]
    public void IsTransient_Null_ThrowsArgumentNull()
    {
        Assert.ThrowsExactly<ArgumentNullException>(() => TaskDefaults.IsTransient(null!));
    }

    [TestMethod]
    public void Storage_Policy_FiveAttemptsFromOneSecondDoubling()
    {
        RetryPolicy? policy = TaskDefaults.Storage.Retry?.Policy;

        Assert.IsNotNull(policy);
        Assert.AreEqual(5, policy.MaxNumberOfAttempts);
        Assert.AreEqual(TimeSpan.FromSeconds(1), policy.FirstRetryInterval);
        Assert.AreEqual(2d, policy.BackoffCoefficient);
        Assert.AreEqual(TimeSpan.FromSeconds(30), policy.MaxRetryInterval);
        Assert.AreEqual(TimeSpan.FromMinutes(5), policy.RetryTimeout);
    }

    [TestMethod]
    public void Compute_Policy_ThreeQuickAttempts()
    {
        RetryPolicy? policy = TaskDefaults.Compute.Retry?.Policy;

        Assert.IsNotNull(policy);
        Assert.AreEqual(3, policy.MaxNumberOfAttempts);
        Assert.AreEqual(TimeSpan.FromMilliseconds(500), policy.FirstRetryInterval);
        Assert.AreEqual(TimeSpan.FromSeconds(5), policy.MaxRetryInterval);
    }
}

namespace Orchestration.Workflows.Durable;

/// <summary>Thrown by an activity for a fault that a retry may fix; the retry policies in <see cref="TaskDefaults"/> retry it.</summary>
public sealed class TransientFailureException : Exception
{
    public TransientFailureException()
    {
    }

    public TransientFailureException(string message)
        : base(message)
    {
    }

    public TransientFailureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

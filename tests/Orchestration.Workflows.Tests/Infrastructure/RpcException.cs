namespace Orchestration.Workflows.Tests.Infrastructure;

/// <summary>
/// Stands in for Grpc.Core.RpcException: the core recognises "instance already exists" by the exception's type name and
/// message, so this test double has the same name without a gRPC dependency.
/// </summary>
public sealed class RpcException : Exception
{
    public RpcException()
    {
    }

    public RpcException(string message)
        : base(message)
    {
    }

    public RpcException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

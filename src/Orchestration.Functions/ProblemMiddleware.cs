using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;
using Orchestration.Workflows.Http;

namespace Orchestration.Functions;

/// <summary>An unexpected exception in an HTTP function becomes a problem+json 500 with a trace id, never a bare error page.</summary>
internal sealed partial class ProblemMiddleware(ILogger<ProblemMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception ex) when (context.GetHttpContext() is HttpContext http && !http.Response.HasStarted)
        {
            LogUnhandled(logger, ex, context.FunctionDefinition.Name);
            await ApiProblems.Unexpected(context.InvocationId).ExecuteAsync(http);
        }
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Error, Message = "Function {Function} failed")]
    static partial void LogUnhandled(ILogger logger, Exception exception, string function);
}

using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Orchestration.Workflows.Http;

namespace Orchestration.LocalHost.Api;

/// <summary>Anything unexpected becomes a problem+json 500 with a trace id to find it in the log, never a bare page.</summary>
internal sealed class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is BadHttpRequestException bad)
        {
            await (bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? ApiProblems.TooLarge($"body: {bad.Message}")
                    : ApiProblems.BadRequest(bad.Message))
                .ExecuteAsync(httpContext);
            return true;
        }

        Logs.UnhandledRequestError(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        // The id ASP.NET Core's problem writer also puts in "traceId", so the body agrees with itself.
        await ApiProblems.Unexpected(Activity.Current?.Id ?? httpContext.TraceIdentifier).ExecuteAsync(httpContext);
        return true;
    }
}

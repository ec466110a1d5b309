using System.Security.Cryptography;
using System.Text;
using Orchestration.Workflows.Http;

namespace Orchestration.LocalHost.Api;

/// <summary>
/// The local host's stand-in for function keys: every <c>/api</c> route except health needs the key, in the
/// <c>x-functions-key</c> header or the <c>code</c> query parameter, as under Functions.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, string apiKey)
{
    public const string HeaderName = "x-functions-key";
    public const string QueryName = "code";

    readonly byte[] expected = Encoding.UTF8.GetBytes(apiKey);

    public async Task InvokeAsync(HttpContext context)
    {
        if (RequiresKey(context.Request.Path) && !HasValidKey(context.Request))
        {
            bool given = context.Request.Headers.ContainsKey(HeaderName) || context.Request.Query.ContainsKey(QueryName);
            await ApiProblems.Unauthorized(given
                    ? "The key is wrong: use the key the local host printed at start-up (or LocalHost:ApiKey)."
                    : $"Send the API key in the {HeaderName} header or the {QueryName} query parameter; the local host printed it at start-up.")
                .ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    static bool RequiresKey(PathString path) =>
        path.StartsWithSegments($"/{ApiRoutes.Prefix}", StringComparison.OrdinalIgnoreCase)
        && !path.Equals($"/{ApiRoutes.Prefix}/{ApiRoutes.Health}", StringComparison.OrdinalIgnoreCase);

    bool HasValidKey(HttpRequest request)
    {
        string? given = request.Headers[HeaderName].FirstOrDefault() ?? request.Query[QueryName].FirstOrDefault();
        return given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), expected);
    }
}

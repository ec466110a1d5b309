using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestration.Workflows.Http;
using Orchestration.Workflows.Triggers;

namespace Orchestration.Workflows.Tests.Infrastructure;

/// <summary>What an executed <see cref="IResult"/> wrote.</summary>
internal sealed class HttpOutcome(int status, string? contentType, IHeaderDictionary headers, string body)
{
    public int Status { get; } = status;

    public string? ContentType { get; } = contentType;

    public IHeaderDictionary Headers { get; } = headers;

    public string Body { get; } = body;

    public JsonElement Json
    {
        get
        {
            using JsonDocument document = JsonDocument.Parse(Body);
            return document.RootElement.Clone();
        }
    }

    public bool IsProblem => ContentType?.StartsWith("application/problem+json", StringComparison.Ordinal) == true;

    /// <summary>The problem's <c>detail</c>, asserting the response is problem+json with the expected status.</summary>
    public string ProblemDetail(int expectedStatus)
    {
        Assert.AreEqual(expectedStatus, Status, Body);
        Assert.IsTrue(IsProblem, $"expected problem+json, got {ContentType}");
        Assert.AreEqual(expectedStatus, Json.GetProperty("status").GetInt32());
        return Json.GetProperty("detail").GetString() ?? string.Empty;
    }
}

/// <summary>Builds requests for <see cref="WorkflowApi"/> and runs the results it returns, as a host would.</summary>
internal static class HttpFake
{
    static readonly ServiceProvider Services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();

    /// <summary>The API over <paramref name="reader"/> (default: the client's); uploads have no storage here and throw if reached.</summary>
    public static WorkflowApi Api(IHistoryReader? reader = null, params UploadPolicy[] uploads) => new(
        reader ?? new ClientHistoryReader(),
        new BlobTriggerStarter(NullLogger<BlobTriggerStarter>.Instance),
        new BlobUpload(() => throw new InvalidOperationException("No storage in unit tests.")),
        uploads,
        [new("blob-digest", ["samples-in"]), new("image-pipeline", ["images-in"]), new("fraud-scan", ["market-events"])],
        NullLogger<WorkflowApi>.Instance);

    /// <summary>A request to <c>https://func.example.net{path}{query}</c> with an optional body.</summary>
    public static HttpRequest Request(string method, string path, string? query = null, string? body = null, bool chunked = false) =>
        Request(method, path, query, body is null ? null : Encoding.UTF8.GetBytes(body), chunked);

    public static HttpRequest Request(string method, string path, string? query, byte[]? body, bool chunked = false)
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Request.Method = method;
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("func.example.net");
        context.Request.Path = path;
        context.Request.QueryString = query is null ? QueryString.Empty : new QueryString(query);
        if (body is not null)
        {
            context.Request.Body = new MemoryStream(body);
            context.Request.ContentType = "application/json";
            context.Request.ContentLength = chunked ? null : body.Length;
        }

        context.Response.Body = new MemoryStream();
        return context.Request;
    }

    /// <summary>Executes <paramref name="result"/> against the request's own context and reads back the response.</summary>
    public static async Task<HttpOutcome> ExecuteAsync(HttpRequest request, IResult result)
    {
        HttpContext context = request.HttpContext;
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        using var reader = new StreamReader(context.Response.Body, Encoding.UTF8, leaveOpen: true);
        string body = await reader.ReadToEndAsync();
        return new HttpOutcome(context.Response.StatusCode, context.Response.ContentType, context.Response.Headers, body);
    }
}

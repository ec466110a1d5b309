using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Orchestration.Workflows.Http;

/// <summary>RFC 9457 problem responses, each saying what to fix.</summary>
public static class ApiProblems
{
    public static IResult BadRequest(string detail) =>
        Problem(StatusCodes.Status400BadRequest, "The request is malformed", detail);

    public static IResult Unauthorized(string detail) =>
        Problem(StatusCodes.Status401Unauthorized, "A key is required", detail);

    public static IResult NotFound(string detail) =>
        Problem(StatusCodes.Status404NotFound, "Not found", detail);

    public static IResult MethodNotAllowed(string detail) =>
        Problem(StatusCodes.Status405MethodNotAllowed, "The method is not allowed on this route", detail);

    /// <summary>Any other error status that would otherwise go out without a body.</summary>
    public static IResult Status(int status, string detail) =>
        Problem(status, ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "The request failed", detail);

    public static IResult Conflict(string detail) =>
        Problem(StatusCodes.Status409Conflict, "Conflict with the instance's state", detail);

    public static IResult TooLarge(string detail) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "The request body is too large", detail);

    public static IResult UnsupportedMediaType(string detail) =>
        Problem(StatusCodes.Status415UnsupportedMediaType, "The content type is not accepted here", detail);

    public static IResult Invalid(string detail, IReadOnlyList<string> errors) =>
        Problem(StatusCodes.Status422UnprocessableEntity, "The input is invalid", detail, new Dictionary<string, object?> { ["errors"] = errors });

    public static IResult NotImplemented(string detail) =>
        Problem(StatusCodes.Status501NotImplemented, "Not available in this host", detail);

    public static IResult Unexpected(string traceId) =>
        Problem(
            StatusCodes.Status500InternalServerError,
            "Unexpected error",
            $"The server failed while handling the request; its log has the details under trace id {traceId}.",
            new Dictionary<string, object?> { ["traceId"] = traceId });

    static IResult Problem(int status, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);
}

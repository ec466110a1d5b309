using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Orchestration.Workflows.Http;

/// <summary>Reads a bounded JSON body: never more than <see cref="MaxBytes"/> into memory, whatever the client claims.</summary>
public static class RequestBody
{
    /// <summary>Orchestrations take references (blob paths), not payloads: 1 MiB is plenty.</summary>
    public const int MaxBytes = 1024 * 1024;

    public sealed record Result(byte[]? Bytes, IResult? Problem);

    public static async Task<Result> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > MaxBytes)
        {
            return new(null, TooLarge(request.ContentLength.Value));
        }

        using var buffer = new MemoryStream();
        byte[] chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return new(null, TooLarge(null));
            }

            buffer.Write(chunk, 0, read);
        }

        return new(buffer.Length == 0 ? null : buffer.ToArray(), null);
    }

    /// <summary>
    /// A 415 when a body comes with a Content-Type that is not JSON (<c>application/json</c>, <c>text/json</c> or any
    /// <c>+json</c> type, with or without a charset). A body without a Content-Type is read as JSON; no body, no check.
    /// </summary>
    public static IResult? ContentTypeProblem(HttpRequest request, byte[]? body)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (body is null || string.IsNullOrWhiteSpace(request.ContentType))
        {
            return null;
        }

        if (Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out Microsoft.Net.Http.Headers.MediaTypeHeaderValue? type)
            && type.MediaType.Value is string media
            && (media.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                || media.Equals("text/json", StringComparison.OrdinalIgnoreCase)
                || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        string shown = request.ContentType.Length <= 64 ? request.ContentType : string.Concat(request.ContentType.AsSpan(0, 64), "…");
        return ApiProblems.UnsupportedMediaType(
            $"Content-Type: '{shown}' is not JSON; this route takes a JSON body: send it with Content-Type: application/json.");
    }

    /// <summary>Parses arbitrary JSON (an event's data); a 400 that points at the bad spot otherwise.</summary>
    public static (JsonElement? Value, IResult? Problem) ParseJson(byte[]? bytes)
    {
        if (bytes is null)
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException ex)
        {
            return (null, ApiProblems.BadRequest(Describe(ex)));
        }
    }

    /// <summary>"body: ..." with the line and byte position of a JSON error.</summary>
    public static string Describe(JsonException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        string where = ex.LineNumber is long line
            ? $" at line {line + 1}, position {(ex.BytePositionInLine ?? 0) + 1}{(string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? string.Empty : $" ({ex.Path})")}"
            : string.Empty;
        string reason = ex.InnerException?.Message ?? FirstSentence(ex.Message);
        return $"body: not valid JSON for this request{where}: {reason}";
    }

    static string FirstSentence(string message)
    {
        int cut = message.IndexOf(". Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    static IResult TooLarge(long? claimed) => ApiProblems.TooLarge(
        $"body: {(claimed is long n ? $"{n} bytes" : "more than the limit")}; at most {MaxBytes} bytes are accepted. Put large data in a blob and pass its path.");
}

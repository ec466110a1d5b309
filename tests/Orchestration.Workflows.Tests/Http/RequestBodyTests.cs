using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Orchestration.Workflows.Http;
using Orchestration.Workflows.Tests.Infrastructure;

namespace Orchestration.Workflows.Tests.Http;

[TestClass]
public sealed class RequestBodyTests
{
    [TestMethod]
    public async Task ReadAsync_NoBody_NullBytesNoProblem()
    {
        HttpRequest request = HttpFake.Request("POST", "/api/x");

        RequestBody.Result result = await RequestBody.ReadAsync(request, CancellationToken.None);

        Assert.IsNull(result.Bytes);
        Assert.IsNull(result.Problem);
    }

    [TestMethod]
    public async Task ReadAsync_ExactlyOneMiBChunked_Accepted()
    {
        HttpRequest request = HttpFake.Request("POST", "/api/x", null, new byte[1024 * 1024], chunked: true);

        RequestBody.Result result = await RequestBody.ReadAsync(request, CancellationToken.None);

        Assert.IsNull(result.Problem);
        Assert.AreEqual(1024 * 1024, result.Bytes?.Length);
    }

    [TestMethod]
    public async Task ReadAsync_OneByteOverChunked_413()
    {
        HttpRequest request = HttpFake.Request("POST", "/api/x", null, new byte[(1024 * 1024) + 1], chunked: true);

        RequestBody.Result result = await RequestBody.ReadAsync(request, CancellationToken.None);

        Assert.IsNull(result.Bytes);
        Assert.IsNotNull(result.Problem);
        HttpOutcome outcome = await HttpFake.ExecuteAsync(request, result.Problem);
        Assert.Contains("1048576", outcome.ProblemDetail(413));
    }

    [TestMethod]
    public async Task ReadAsync_ClaimedLengthOverLimit_413WithoutReading()
    {
        HttpRequest request = HttpFake.Request("POST", "/api/x", null, body: "{}");
        request.ContentLength = 5_000_000;

        RequestBody.Result result = await RequestBody.ReadAsync(request, CancellationToken.None);

        Assert.IsNotNull(result.Problem);
        Assert.AreEqual(0, request.Body.Position, "the body must not be read when the declared length is too large");
        HttpOutcome outcome = await HttpFake.ExecuteAsync(request, result.Problem);
        Assert.Contains("5000000 bytes", outcome.ProblemDetail(413));
    }

    [TestMethod]
    public void ParseJson_Null_NoValueNoProblem()
    {
        (JsonElement? value, IResult? problem) = RequestBody.ParseJson(null);

        Assert.IsNull(value);
        Assert.IsNull(problem);
    }

    [TestMethod]
    public void ParseJson_Valid_ReturnsElement()
    {
        (JsonElement? value, IResult? problem) = RequestBody.ParseJson(Encoding.UTF8.GetBytes("""{"approved":true}"""));

        Assert.IsNull(problem);
        Assert.IsTrue(value?.GetProperty("approved").GetBoolean());
    }

    [TestMethod]
    public async Task ParseJson_Malformed_400NamingLineAndPosition()
    {
        HttpRequest request = HttpFake.Request("POST", "/api/x");

        (JsonElement? value, IResult? problem) = RequestBody.ParseJson(Encoding.UTF8.GetBytes("{\n  \"a\": tru\n}"));

        Assert.IsNull(value);
        HttpOutcome outcome = await HttpFake.ExecuteAsync(request, problem!);
        string detail = outcome.ProblemDetail(400);
        Assert.StartsWith("body: not valid JSON", detail);
        Assert.Contains("line 2", detail);
    }

    [TestMethod]
    public void Describe_ErrorAtLine0Byte4_ReportsOneBasedLineAndPosition()
    {
        var ex = new JsonException("bad. Path: $.x | LineNumber: 0 | BytePositionInLine: 4.", "$.x", 0, 4);

        string text = RequestBody.Describe(ex);

        Assert.AreEqual("body: not valid JSON for this request at line 1, position 5 ($.x): bad", text);
    }
}

using Microsoft.AspNetCore.Http;
using Orchestration.Workflows.Http;
using Orchestration.Workflows.Tests.Infrastructure;

namespace Orchestration.Workflows.Tests.Http;

[TestClass]
public sealed class ApiProblemsTests
{
    static async Task<HttpOutcome> Run(IResult result) => await HttpFake.ExecuteAsync(HttpFake.Request("GET", "/api/x"), result);

    [TestMethod]
    public async Task BadRequest_Detail_400ProblemJsonWithDetail()
    {
        HttpOutcome outcome = await Run(ApiProblems.BadRequest("top: wrong"));

        Assert.AreEqual("top: wrong", outcome.ProblemDetail(400));
        Assert.AreEqual("The request is malformed", outcome.Json.GetProperty("title").GetString());
    }

    [TestMethod]
    public async Task Invalid_Errors_422WithErrorsArray()
    {
        HttpOutcome outcome = await Run(ApiProblems.Invalid("bad input", ["count: no", "batchSize: no"]));

        outcome.ProblemDetail(422);
        CollectionAssert.AreEqual(
            new[] { "count: no", "batchSize: no" },
            outcome.Json.GetProperty("errors").EnumerateArray().Select(e => e.GetString()).ToArray());
    }

    [TestMethod]
    public async Task Unexpected_TraceId_500WhoseDetailNamesTheTraceId()
    {
        HttpOutcome outcome = await Run(ApiProblems.Unexpected("trace-77"));

        Assert.Contains("trace id trace-77", outcome.ProblemDetail(500));
    }

    [TestMethod]
    public async Task Unexpected_RequestTraceId_TraceIdFieldMatchesDetail()
    {
        // The hosts pass the request's own trace id, which is also what ASP.NET Core's problem writer puts in "traceId".
        HttpRequest request = HttpFake.Request("GET", "/api/x");
        request.HttpContext.TraceIdentifier = "trace-77";

        HttpOutcome outcome = await HttpFake.ExecuteAsync(request, ApiProblems.Unexpected(request.HttpContext.TraceIdentifier));

        Assert.AreEqual("trace-77", outcome.Json.GetProperty("traceId").GetString());
        Assert.Contains("trace id trace-77", outcome.ProblemDetail(500));
    }

    [TestMethod]
    public async Task Others_Status_MatchTheirMeaning()
    {
        (await Run(ApiProblems.Unauthorized("k"))).ProblemDetail(401);
        (await Run(ApiProblems.NotFound("n"))).ProblemDetail(404);
        (await Run(ApiProblems.Conflict("c"))).ProblemDetail(409);
        (await Run(ApiProblems.TooLarge("t"))).ProblemDetail(413);
        (await Run(ApiProblems.NotImplemented("i"))).ProblemDetail(501);
    }
}

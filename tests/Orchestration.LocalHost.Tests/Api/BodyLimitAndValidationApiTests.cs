using System.Net;
using System.Text;
using System.Text.Json;
using Orchestration.LocalHost.Tests.Infrastructure;
using Orchestration.Workflows.Http;

namespace Orchestration.LocalHost.Tests.Api;

/// <summary>413 for bodies over 1 MiB (however they are sent) and 422 for well-formed but invalid input.</summary>
[TestClass]
public sealed class BodyLimitAndValidationApiTests : ApiTestBase
{
    [TestMethod]
    [DataRow(RequestBody.MaxBytes + 1, false, DisplayName = "1 MiB + 1 byte, Content-Length")]
    [DataRow(RequestBody.MaxBytes + 1, true, DisplayName = "1 MiB + 1 byte, chunked")]
    [DataRow(10 * 1024 * 1024, false, DisplayName = "10 MB, Content-Length")]
    [DataRow(10 * 1024 * 1024, true, DisplayName = "10 MB, chunked")]
    public async Task StartWorkflow_BodyOverOneMiB_Returns413(int size, bool chunked)
    {
        await using TestHost host = await StartHostAsync();

        using HttpResponseMessage response = await host.Http.PostAsync(new Uri("api/workflows/hello-sequence", UriKind.Relative), Padded(size, chunked), Ct);

        await response.ExpectProblemAsync(HttpStatusCode.RequestEntityTooLarge, Ct, "body", RequestBody.MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using HttpResponseMessage list = await host.Http.GetAsync(new Uri("api/instances", UriKind.Relative), Ct);
        Assert.AreEqual(0, (await list.ExpectJsonAsync(HttpStatusCode.OK, Ct)).GetProperty("instances").GetArrayLength());
    }

    [TestMethod]
    public async Task StartWorkflow_ContentLengthOverLimit_NamesTheClaimedSize()
    {
        await using TestHost host = await StartHostAsync();

        using HttpResponseMessage response = await host.Http.PostAsync(new Uri("api/workflows/hello-sequence", UriKind.Relative), Padded(RequestBody.MaxBytes + 1, chunked: false), Ct);

        await response.ExpectProblemAsync(HttpStatusCode.RequestEntityTooLarge, Ct, $"{RequestBody.MaxBytes + 1} bytes");
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public async Task StartWorkflow_BodyOfExactlyOneMiB_IsAccepted(bool chunked)
    {
        await using TestHost host = await StartHostAsync();

        using HttpResponseMessage response = await host.Http.PostAsync(new Uri("api/workflows/hello-sequence?wait=30", UriKind.Relative), Padded(RequestBody.MaxBytes, chunked), Ct);

        JsonElement status = await response.ExpectFinishedAsync(host.Http, Ct);
        CollectionAssert.AreEqual(new[] { "Hello, Kim!" }, status.GetProperty("output").Strings());
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public async Task RaiseEvent_BodyOverOneMiB_Returns413AndTheInstanceKeepsWaiting(bool chunked)
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("approval");
        await StartApprovalAsync(host, id);

        using HttpResponseMessage response = await host.Http.PostAsync(
            new Uri($"{InstancePath(id)}/raiseEvent/ApprovalDecision", UriKind.Relative), Padded(10 * 1024 * 1024, chunked), Ct);

        await response.ExpectProblemAsync(HttpStatusCode.RequestEntityTooLarge, Ct, "body");
        using HttpResponseMessage status = await host.Http.GetAsync(new Uri(InstancePath(id), UriKind.Relative), Ct);
        Assert.AreEqual("Running", (await status.ExpectJsonAsync(HttpStatusCode.Accepted, Ct)).GetProperty("runtimeStatus").GetString());
    }

    [TestMethod]
    public async Task StartWorkflow_FanOutCountZero_Returns422WithErrors()
    {
        await using TestHost host = await StartHostAsync();

        using HttpResponseMessage response = await host.Http.PostAsync(new Uri("api/workflows/fan-out", UriKind.Relative), Body("""{ "count": 0 }"""), Ct);

        JsonElement problem = await response.ExpectProblemAsync(HttpStatusCode.UnprocessableEntity, Ct, "fan-out", "count");
        string[] errors = problem.GetProperty("errors").Strings();
        Assert.HasCount(1, errors);
        Assert.StartsWith("count:", errors[0]);
        Assert.Contains("1 to 100000", errors[0]);
    }

    [TestMethod]
    public async Task StartWorkflow_SeveralInvalidFields_Returns422ListingEach()
    {
        await using TestHost host = await StartHostAsync();

        using HttpResponseMessage response = await host.Http.PostAsync(new Uri("api/workflows/fan-out", UriKind.Relative), Body("""{ "count": 0, "batchSize": 9999 }"""), Ct);

        JsonElement problem = await response.ExpectProblemAsync(HttpStatusCode.UnprocessableEntity, Ct, "count", "batchSize");
        string[] errors = problem.GetProperty("errors").Strings();
        Assert.HasCount(2, errors);
        Assert.IsTrue(errors.Any(e => e.StartsWith("count:", StringComparison.Ordinal)), string.Join(" | ", errors));
        Assert.IsTrue(errors.Any(e => e.StartsWith("batchSize:", StringComparison.Ordinal)), string.Join(" | ", errors));
    }

    [TestMethod]
    [DataRow("approval", null, "body: required", DisplayName = "approval, no body")]
    [DataRow("approval", "null", "body: required", DisplayName = "approval, null")]
    [DataRow("countdown", null, "body: required", DisplayName = "countdown, no body")]
    [DataRow("blob-digest", null, "body: required", DisplayName = "blob-digest, no body")]
    [DataRow("approval", "{ \"subject\": \"  \" }", "subject:", DisplayName = "approval, blank subject")]
    [DataRow("approval", "{ \"subject\": \"s\", \"timeoutSeconds\": 0 }", "timeoutSeconds:", DisplayName = "approval, zero timeout")]
    [DataRow("countdown", "{ \"remaining\": -1 }", "remaining:", DisplayName = "countdown, negative")]
    [DataRow("hello-sequence", "{ \"names\": [\"ok\", \"\"] }", "names[1]:", DisplayName = "hello-sequence, empty name")]
    [DataRow("approval", "{}", "subject:", DisplayName = "approval, empty object")]
    [DataRow("hello-sequence", null, "names: 101 given", DisplayName = "hello-sequence, 101 names")]
    [DataRow("hello-sequence", "{ \"names\": [] }", "names:", DisplayName = "hello-sequence, no names")]
    public async Task StartWorkflow_InvalidInput_Returns422WithErrors(string workflow, string? body, string error)
    {
        await using TestHost host = await StartHostAsync();
        if (workflow == "hello-sequence" && body is null)
        {
            body = JsonSerializer.Serialize(new { names = Enumerable.Range(0, 101).Select(i => $"n{i}") });
        }

        using HttpResponseMessage response = await host.Http.PostAsync(new Uri($"api/workflows/{workflow}", UriKind.Relative), Body(body), Ct);

        JsonElement problem = await response.ExpectProblemAsync(HttpStatusCode.UnprocessableEntity, Ct, workflow);
        string[] errors = problem.GetProperty("errors").Strings();
        Assert.IsTrue(errors.Any(e => e.StartsWith(error, StringComparison.Ordinal)), $"expected an error starting '{error}': {string.Join(" | ", errors)}");
        using HttpResponseMessage list = await host.Http.GetAsync(new Uri("api/instances", UriKind.Relative), Ct);
        Assert.AreEqual(0, (await list.ExpectJsonAsync(HttpStatusCode.OK, Ct)).GetProperty("instances").GetArrayLength());
    }

    [TestMethod]
    [DataRow("text/plain", DisplayName = "text/plain")]
    [DataRow("application/x-www-form-urlencoded", DisplayName = "form (curl -d without a type)")]
    [DataRow("application/xml", DisplayName = "xml")]
    public async Task JsonRoutes_NonJsonContentType_Return415AndStartNothing(string contentType)
    {
        await using TestHost host = await StartHostAsync();
        string waiting = NewId("approval");
        await StartApprovalAsync(host, waiting);

        using (var start = new StringContent("""{ "names": ["Kim"] }""", Encoding.UTF8, contentType))
        using (HttpResponseMessage response = await host.Http.PostAsync(new Uri("api/workflows/hello-sequence", UriKind.Relative), start, Ct))
        {
            await response.ExpectProblemAsync(HttpStatusCode.UnsupportedMediaType, Ct, "Content-Type", contentType, "application/json");
        }

        using (var decision = new StringContent("""{ "approved": true }""", Encoding.UTF8, contentType))
        using (HttpResponseMessage response = await host.Http.PostAsync(new Uri($"{InstancePath(waiting)}/raiseEvent/ApprovalDecision", UriKind.Relative), decision, Ct))
        {
            await response.ExpectProblemAsync(HttpStatusCode.UnsupportedMediaType, Ct, "Content-Type", contentType);
        }

        using HttpResponseMessage list = await host.Http.GetAsync(new Uri("api/instances", UriKind.Relative), Ct);
        JsonElement only = (await list.ExpectJsonAsync(HttpStatusCode.OK, Ct)).GetProperty("instances").EnumerateArray().Single();
        Assert.AreEqual("Running", only.GetProperty("runtimeStatus").GetString(), "the decision was not delivered");
    }

    [TestMethod]
    [DataRow("application/json; charset=utf-8", DisplayName = "json with charset")]
    [DataRow("application/merge-patch+json", DisplayName = "a +json type")]
    public async Task StartWorkflow_JsonContentTypes_Accepted(string contentType)
    {
        await using TestHost host = await StartHostAsync();
        using var content = new StringContent("""{ "names": ["Kim"] }""", Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);

        using HttpResponseMessage response = await host.Http.PostAsync(new Uri("api/workflows/hello-sequence", UriKind.Relative), content, Ct);

        await response.ExpectJsonAsync(HttpStatusCode.Accepted, Ct);
    }

    [TestMethod]
    [DataRow(null, DisplayName = "no body")]
    [DataRow("null", DisplayName = "null")]
    public async Task StartWorkflow_OptionalInputOmitted_UsesDefaults(string? body)
    {
        await using TestHost host = await StartHostAsync();

        JsonElement status = await RunAsync(host, "hello-sequence", body);

        CollectionAssert.AreEqual(new[] { "Hello, Tokyo!", "Hello, Seattle!", "Hello, London!" }, status.GetProperty("output").Strings());
    }

    /// <summary>A valid hello-sequence input padded with JSON whitespace to exactly <paramref name="size"/> bytes.</summary>
    static HttpContent Padded(int size, bool chunked)
    {
        byte[] json = Encoding.UTF8.GetBytes("""{ "names": ["Kim"] }""");
        byte[] body = new byte[size];
        Array.Fill(body, (byte)' ');
        json.CopyTo(body, 0);
        if (chunked)
        {
            return new ChunkedContent(body);
        }

        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }
}

using System.Net;
using System.Text.Json;
using Orchestration.LocalHost.Engine;
using Orchestration.LocalHost.Tests.Infrastructure;

namespace Orchestration.LocalHost.Tests.Api;

/// <summary>A failed instance tells its caller the exception's type and message, never the stack trace (that stays in the log).</summary>
[TestClass]
public sealed class FailureDetailsApiTests : ApiTestBase
{
    [TestMethod]
    public async Task GetInstance_Failed_ShowsTypeAndMessageButNoStackTrace()
    {
        await using TestHost host = await StartHostAsync(EngineBackend.AzureStorage);
        string id = NewId("fails");
        string missing = $"missing/{Guid.NewGuid():N}.bin";

        await StartAsync(host, "blob-digest", $$"""{ "container": "samples-in", "name": "{{missing}}" }""", id);
        JsonElement failed = await WaitForStatusAsync(host, id, "Failed");

        JsonElement failure = failed.GetProperty("failureDetails");
        Assert.IsFalse(string.IsNullOrWhiteSpace(failure.GetProperty("errorType").GetString()), failure.ToString());
        Assert.Contains(missing, failed.ToString(), "the message names the blob");
        AssertNoStackTrace(failed);

        using HttpResponseMessage detailed = await host.Http.GetAsync(new Uri($"{InstancePath(id)}?showHistory=true", UriKind.Relative), Ct);
        JsonElement withHistory = await detailed.ExpectJsonAsync(HttpStatusCode.OK, Ct);
        Assert.IsGreaterThan(0, withHistory.GetProperty("history").GetArrayLength());
        AssertNoStackTrace(withHistory);

        using HttpResponseMessage list = await host.Http.GetAsync(new Uri("api/instances?status=Failed", UriKind.Relative), Ct);
        AssertNoStackTrace(await list.ExpectJsonAsync(HttpStatusCode.OK, Ct));
    }

    static void AssertNoStackTrace(JsonElement body)
    {
        string text = body.ToString();
        Assert.DoesNotContain("stackTrace", text, StringComparison.OrdinalIgnoreCase, text);
        Assert.DoesNotContain(" at Orchestration.", text, text);
        Assert.DoesNotContain(".cs:line ", text, text);
    }
}

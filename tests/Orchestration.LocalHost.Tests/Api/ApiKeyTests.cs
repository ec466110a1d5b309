using System.Net;
using System.Text.Json;
using Orchestration.LocalHost.Tests.Infrastructure;
using Orchestration.Workflows.Catalog;
using Orchestration.Workflows.Http;

namespace Orchestration.LocalHost.Tests.Api;

/// <summary>401: every route but health needs the key, in the x-functions-key header or the code query parameter.</summary>
[TestClass]
public sealed class ApiKeyTests : ApiTestBase
{
    [TestMethod]
    public async Task EveryProtectedEndpoint_WithoutKey_Returns401Problem()
    {
        await using TestHost host = await StartHostAsync();

        foreach (HttpEndpointDefinition endpoint in ApiRoutes.Endpoints.Where(e => !e.Anonymous))
        {
            using HttpResponseMessage response = await SendWithoutKeyAsync(host, new HttpMethod(endpoint.Method), SamplePath(endpoint));
            await response.ExpectProblemAsync(HttpStatusCode.Unauthorized, Ct, "x-functions-key", "code");
        }

        await AssertNothingStartedAsync(host);
    }

    [TestMethod]
    [DataRow("x-functions-key", DisplayName = "wrong header")]
    [DataRow("code", DisplayName = "wrong code")]
    public async Task EveryProtectedEndpoint_WithWrongKey_Returns401Problem(string how)
    {
        await using TestHost host = await StartHostAsync();

        foreach (string wrong in new[] { "nope", TestHost.ApiKey + "x", TestHost.ApiKey[..^1], TestHost.ApiKey.ToUpperInvariant() })
        {
            foreach (HttpEndpointDefinition endpoint in ApiRoutes.Endpoints.Where(e => !e.Anonymous))
            {
                string path = SamplePath(endpoint);
                using HttpResponseMessage response = how == "code"
                    ? await SendWithoutKeyAsync(host, new HttpMethod(endpoint.Method), $"{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}code={Uri.EscapeDataString(wrong)}")
                    : await SendWithoutKeyAsync(host, new HttpMethod(endpoint.Method), path, new Dictionary<string, string> { ["x-functions-key"] = wrong });
                await response.ExpectProblemAsync(HttpStatusCode.Unauthorized, Ct, "key");
            }
        }

        await AssertNothingStartedAsync(host);
    }

    [TestMethod]
    public async Task CodeQueryParameter_InsteadOfHeader_IsAccepted()
    {
        await using TestHost host = await StartHostAsync();
        string code = Uri.EscapeDataString(TestHost.ApiKey);

        using (HttpResponseMessage list = await SendWithoutKeyAsync(host, HttpMethod.Get, $"api/workflows?code={code}"))
        {
            await list.ExpectJsonAsync(HttpStatusCode.OK, Ct);
        }

        using HttpResponseMessage start = await SendWithoutKeyAsync(host, HttpMethod.Post, $"api/workflows/hello-sequence?wait=60&code={code}");
        JsonElement status = await start.ExpectFinishedAsync(host.Http, Ct);
        Assert.AreEqual("Completed", status.GetProperty("runtimeStatus").GetString());
    }

    [TestMethod]
    public async Task ProtectedPath_InOtherCase_StillNeedsTheKey()
    {
        await using TestHost host = await StartHostAsync();

        using HttpResponseMessage response = await SendWithoutKeyAsync(host, HttpMethod.Post, "API/Workflows/hello-sequence");

        await response.ExpectProblemAsync(HttpStatusCode.Unauthorized, Ct);
        await AssertNothingStartedAsync(host);
    }

    [TestMethod]
    public async Task Health_WithWrongKey_StillReturns200()
    {
        await using TestHost host = await StartHostAsync();

        using HttpResponseMessage response = await SendWithoutKeyAsync(host, HttpMethod.Get, "api/health", new Dictionary<string, string> { ["x-functions-key"] = "wrong" });

        await response.ExpectJsonAsync(HttpStatusCode.OK, Ct);
    }

    static string SamplePath(HttpEndpointDefinition endpoint)
    {
        string path = $"api/{endpoint.Route}"
            .Replace("{workflow}", "hello-sequence", StringComparison.Ordinal)
            .Replace("{instanceId}", "some-instance", StringComparison.Ordinal)
            .Replace("{eventName}", "Ping", StringComparison.Ordinal);
        return endpoint.FunctionName == ApiRoutes.PurgeInstancesFunction ? $"{path}?createdFrom=2000-01-01T00:00:00Z" : path;
    }

    async Task AssertNothingStartedAsync(TestHost host)
    {
        using HttpResponseMessage list = await host.Http.GetAsync(new Uri("api/instances", UriKind.Relative), Ct);
        Assert.AreEqual(0, (await list.ExpectJsonAsync(HttpStatusCode.OK, Ct)).GetProperty("instances").GetArrayLength());
    }
}

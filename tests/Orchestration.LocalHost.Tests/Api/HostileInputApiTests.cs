using System.Net;
using System.Text.Json;
using Orchestration.LocalHost.Tests.Infrastructure;

namespace Orchestration.LocalHost.Tests.Api;

/// <summary>Forwarded headers, odd instance ids: what a hostile or just unusual client may send.</summary>
[TestClass]
public sealed class HostileInputApiTests : ApiTestBase
{
    static readonly string[] UriProperties =
        ["statusQueryGetUri", "sendEventPostUri", "terminatePostUri", "purgeHistoryDeleteUri", "suspendPostUri", "resumePostUri", "restartPostUri"];

    [TestMethod]
    [DataRow("evil.com/x", DisplayName = "path")]
    [DataRow("evil.com/", DisplayName = "trailing slash")]
    [DataRow("evil.com?x=1", DisplayName = "query")]
    [DataRow("evil.com#x", DisplayName = "fragment")]
    [DataRow("user@evil.com", DisplayName = "user info")]
    [DataRow("evil.com:99999", DisplayName = "port out of range")]
    [DataRow("evil.com\\x", DisplayName = "backslash")]
    [DataRow("evil.com x", DisplayName = "space")]
    [DataRow("http://evil.com", DisplayName = "scheme")]
    [DataRow("evil.com:80", DisplayName = "default port spelled out")]
    public async Task StartWorkflow_MalformedForwardedHost_IsIgnored(string forwardedHost)
    {
        await using TestHost host = await StartHostAsync();
        string expectedBase = new Uri(host.Http.BaseAddress!, "api/").AbsoluteUri;

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("api/workflows/hello-sequence", UriKind.Relative));
        Assert.IsTrue(request.Headers.TryAddWithoutValidation("X-Forwarded-Host", forwardedHost));
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
        using HttpResponseMessage response = await host.Http.SendAsync(request, Ct);

        JsonElement payload = await response.ExpectJsonAsync(HttpStatusCode.Accepted, Ct);
        foreach (string property in UriProperties)
        {
            string uri = payload.GetProperty(property).GetString()!;
            Assert.StartsWith(expectedBase.Replace("http://", "https://", StringComparison.Ordinal), uri, $"{property} must ignore X-Forwarded-Host '{forwardedHost}'");
            Assert.DoesNotContain("evil", uri, property);
        }

        Assert.DoesNotContain("evil", response.Headers.Location?.OriginalString ?? string.Empty);
    }

    [TestMethod]
    [DataRow("javascript")]
    [DataRow("ftp")]
    [DataRow("https://evil.com")]
    public async Task StartWorkflow_MalformedForwardedProto_IsIgnored(string forwardedProto)
    {
        await using TestHost host = await StartHostAsync();

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("api/workflows/hello-sequence", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", forwardedProto);
        using HttpResponseMessage response = await host.Http.SendAsync(request, Ct);

        JsonElement payload = await response.ExpectJsonAsync(HttpStatusCode.Accepted, Ct);
        foreach (string property in UriProperties)
        {
            Assert.StartsWith(new Uri(host.Http.BaseAddress!, "api/").AbsoluteUri, payload.GetProperty(property).GetString()!, property);
        }
    }

    [TestMethod]
    public async Task ForwardedHostAndProto_WellFormed_AreHonouredInEveryReturnedUri()
    {
        await using TestHost host = await StartHostAsync();
        const string PublicBase = "https://api.example.com/api/";
        var forwarded = new Dictionary<string, string> { ["X-Forwarded-Host"] = "api.example.com", ["X-Forwarded-Proto"] = "https" };
        string id = NewId("fwd");

        // The workflow listing.
        using (HttpResponseMessage list = await SendAsync(host, HttpMethod.Get, "api/workflows", forwarded))
        {
            foreach (JsonElement workflow in (await list.ExpectJsonAsync(HttpStatusCode.OK, Ct)).EnumerateArray())
            {
                Assert.AreEqual($"{PublicBase}workflows/{workflow.GetProperty("name").GetString()}", workflow.GetProperty("startUri").GetString());
            }
        }

        // Start (202): the payload and Location.
        using (HttpResponseMessage start = await SendAsync(host, HttpMethod.Post, $"api/workflows/approval?instanceId={id}", forwarded, """{ "subject": "fwd" }"""))
        {
            AssertPublic(await start.ExpectJsonAsync(HttpStatusCode.Accepted, Ct), start, id);
        }

        await WaitForAsync(host, id, s => s.TryGetProperty("customStatus", out _), "waiting for its decision");

        // Every state change answers with the check-status payload.
        foreach (string operation in new[] { "suspend", "resume" })
        {
            using HttpResponseMessage change = await SendAsync(host, HttpMethod.Post, $"{InstancePath(id)}/{operation}", forwarded);
            AssertPublic(await change.ExpectJsonAsync(HttpStatusCode.Accepted, Ct), change, id);
            await WaitForStatusAsync(host, id, operation == "suspend" ? "Suspended" : "Running");
        }

        using (HttpResponseMessage raise = await SendAsync(host, HttpMethod.Post, $"{InstancePath(id)}/raiseEvent/Noise", forwarded, "{}"))
        {
            AssertPublic(await raise.ExpectJsonAsync(HttpStatusCode.Accepted, Ct), raise, id);
        }

        using (HttpResponseMessage terminate = await SendAsync(host, HttpMethod.Post, $"{InstancePath(id)}/terminate", forwarded))
        {
            AssertPublic(await terminate.ExpectJsonAsync(HttpStatusCode.Accepted, Ct), terminate, id);
        }

        await WaitForStatusAsync(host, id, "Terminated");

        // Restart: a new id, its payload and Location.
        using (HttpResponseMessage restart = await SendAsync(host, HttpMethod.Post, $"{InstancePath(id)}/restart?newInstanceId=true", forwarded))
        {
            JsonElement payload = await restart.ExpectJsonAsync(HttpStatusCode.Accepted, Ct);
            AssertPublic(payload, restart, payload.GetProperty("id").GetString()!);
            Assert.AreEqual(payload.GetProperty("statusQueryGetUri").GetString(), restart.Headers.Location?.AbsoluteUri);
        }

        // Start with wait (200): Location.
        string waited = NewId("fwd-wait");
        using (HttpResponseMessage run = await SendAsync(host, HttpMethod.Post, $"api/workflows/hello-sequence?wait=60&instanceId={waited}", forwarded))
        {
            await run.ExpectJsonAsync(HttpStatusCode.OK, Ct);
            Assert.AreEqual($"{PublicBase}instances/{waited}", run.Headers.Location?.AbsoluteUri);
        }

        void AssertPublic(JsonElement payload, HttpResponseMessage response, string instanceId)
        {
            foreach (string property in UriProperties)
            {
                Assert.StartsWith($"{PublicBase}instances/{Uri.EscapeDataString(instanceId)}", payload.GetProperty(property).GetString()!, $"{response.RequestMessage?.RequestUri}: {property}");
            }

            if (response.Headers.Location is Uri location)
            {
                Assert.AreEqual($"{PublicBase}instances/{Uri.EscapeDataString(instanceId)}", location.AbsoluteUri);
            }
        }
    }

    [TestMethod]
    [DataRow("évil.com", "https", DisplayName = "non-ASCII forwarded host")]
    [DataRow("api.example.com", "httpś", DisplayName = "non-ASCII forwarded proto")]
    [DataRow("évil.com:99999", "https", DisplayName = "non-ASCII host, port out of range")]
    [DataRow("evil.com:0", "https", DisplayName = "port zero")]
    public async Task StartWorkflow_NonAsciiForwardedHeader_IgnoredAndStartedExactlyOnce(string forwardedHost, string forwardedProto)
    {
        await using TestHost host = await StartHostAsync();
        string id = NewId("fwd-idn");
        using var handler = new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => System.Text.Encoding.UTF8 };
        using var client = new HttpClient(handler) { BaseAddress = host.Http.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"api/workflows/hello-sequence?instanceId={id}", UriKind.Relative)) { Content = Body("""{ "names": ["Ana"] }""") };
        request.Headers.TryAddWithoutValidation("x-functions-key", TestHost.ApiKey);
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", forwardedHost);
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", forwardedProto);

        using HttpResponseMessage response = await client.SendAsync(request, Ct);

        JsonElement payload = await response.ExpectJsonAsync(HttpStatusCode.Accepted, Ct);
        // Each header on its own: a valid one is honoured, an invalid one ignored for the request's own value.
        string scheme = forwardedProto == "https" ? "https" : "http";
        string authority = forwardedHost == "api.example.com" ? forwardedHost : host.Http.BaseAddress!.Authority;
        foreach (string property in UriProperties)
        {
            string uri = payload.GetProperty(property).GetString()!;
            Assert.StartsWith($"{scheme}://{authority}/api/", uri, property);
            Assert.IsTrue(uri.All(char.IsAscii), uri);
        }

        Assert.AreEqual(payload.GetProperty("statusQueryGetUri").GetString(), response.Headers.Location?.AbsoluteUri);
        using HttpResponseMessage list = await host.Http.GetAsync(new Uri("api/instances", UriKind.Relative), Ct);
        CollectionAssert.AreEqual(
            new[] { id },
            (await list.ExpectJsonAsync(HttpStatusCode.OK, Ct)).GetProperty("instances").EnumerateArray().Select(i => i.GetProperty("instanceId").GetString()).ToArray());
    }

    [TestMethod]
    [DataRow("evil.com:0", DisplayName = "port zero")]
    [DataRow("evil.com:00000", DisplayName = "port zero, padded")]
    public async Task Request_InvalidHostHeader_400BeforeStartingAnythingAndNeverEchoed(string hostHeader)
    {
        await using TestHost host = await StartHostAsync();

        foreach ((HttpMethod method, string path) in new[] { (HttpMethod.Post, "api/workflows/hello-sequence"), (HttpMethod.Get, "api/workflows") })
        {
            using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
            request.Headers.TryAddWithoutValidation("Host", hostHeader);
            using HttpResponseMessage response = await host.Http.SendAsync(request, Ct);

            JsonElement problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest, Ct, "Host");
            Assert.IsNull(response.Headers.Location);
            Assert.DoesNotContain("http://evil.com", problem.ToString());
        }

        using HttpResponseMessage list = await host.Http.GetAsync(new Uri("api/instances", UriKind.Relative), Ct);
        Assert.AreEqual(0, (await list.ExpectJsonAsync(HttpStatusCode.OK, Ct)).GetProperty("instances").GetArrayLength(), "nothing was started");
    }

    [TestMethod]
    public async Task ForwardedHost_WithPortAndSeveralHops_UsesTheFirstHop()
    {
        await using TestHost host = await StartHostAsync();

        using HttpResponseMessage response = await SendAsync(
            host, HttpMethod.Post, "api/workflows/hello-sequence", new Dictionary<string, string> { ["X-Forwarded-Host"] = "gw.example.com:8443, inner.local", ["X-Forwarded-Proto"] = "https, http" });

        JsonElement payload = await response.ExpectJsonAsync(HttpStatusCode.Accepted, Ct);
        Assert.StartsWith("https://gw.example.com:8443/api/instances/", payload.GetProperty("statusQueryGetUri").GetString()!);
    }

    [TestMethod]
    [DataRow("ünïcödé-代码-🚀", DisplayName = "unicode")]
    [DataRow("50% off + tax & more=yes", DisplayName = "reserved URI characters")]
    [DataRow("Ωmega:colon;semi'quote\"dq<lt>", DisplayName = "punctuation")]
    [DataRow(null, DisplayName = "256 characters")]
    [DataRow("long-unicode", DisplayName = "256 non-ASCII characters")]
    public async Task InstanceId_Unusual_RoundTripsThroughEveryReturnedUri(string? id)
    {
        await using TestHost host = await StartHostAsync();
        id = id switch
        {
            null => new string('z', 256),
            "long-unicode" => string.Concat(Enumerable.Repeat("日本", 128)),
            _ => $"{id}-{Guid.NewGuid():N}",
        };

        JsonElement payload;
        using (HttpResponseMessage start = await host.Http.PostAsync(
            new Uri($"api/workflows/approval?instanceId={Uri.EscapeDataString(id)}", UriKind.Relative), Body("""{ "subject": "odd id" }"""), Ct))
        {
            payload = await start.ExpectJsonAsync(HttpStatusCode.Accepted, Ct);
            Assert.AreEqual(id, payload.GetProperty("id").GetString());
            Assert.AreEqual(payload.GetProperty("statusQueryGetUri").GetString(), start.Headers.Location?.AbsoluteUri);
        }

        // Use every URI exactly as returned (placeholders filled in), as a client would.
        Uri Returned(string property, string? fill = null) =>
            new(payload.GetProperty(property).GetString()!.Replace("{eventName}", fill, StringComparison.Ordinal).Replace("{text}", fill, StringComparison.Ordinal));

        async Task<string?> RuntimeStatusAsync()
        {
            using HttpResponseMessage status = await host.Http.GetAsync(Returned("statusQueryGetUri"), Ct);
            JsonElement body = await status.ExpectJsonAsync(status.StatusCode == HttpStatusCode.OK ? HttpStatusCode.OK : HttpStatusCode.Accepted, Ct);
            Assert.AreEqual(id, body.GetProperty("instanceId").GetString());
            string? runtimeStatus = body.GetProperty("runtimeStatus").GetString();
            Assert.AreEqual(runtimeStatus is "Completed" or "Failed" or "Terminated", status.StatusCode == HttpStatusCode.OK, $"200 exactly when finished: {body}");
            return body.TryGetProperty("customStatus", out _) ? runtimeStatus : "Started";
        }

        async Task PostAsync(string property, string fill)
        {
            using HttpResponseMessage response = await host.Http.PostAsync(Returned(property, fill), Body("{}"), Ct);
            Assert.AreEqual(id, (await response.ExpectJsonAsync(HttpStatusCode.Accepted, Ct)).GetProperty("id").GetString(), property);
        }

        await Eventually.HoldsAsync(async () => await RuntimeStatusAsync() == "Running", Patience, "waiting for a decision");
        await PostAsync("sendEventPostUri", "Noise");
        await PostAsync("suspendPostUri", "pause");
        await Eventually.HoldsAsync(async () => await RuntimeStatusAsync() == "Suspended", Patience, "Suspended");
        await PostAsync("resumePostUri", "go");
        await Eventually.HoldsAsync(async () => await RuntimeStatusAsync() == "Running", Patience, "Running");
        await PostAsync("terminatePostUri", "stop");
        await Eventually.HoldsAsync(async () => await RuntimeStatusAsync() == "Terminated", Patience, "Terminated");

        using (HttpResponseMessage listed = await host.Http.GetAsync(new Uri($"api/instances?instanceIdPrefix={Uri.EscapeDataString(id)}", UriKind.Relative), Ct))
        {
            JsonElement page = await listed.ExpectJsonAsync(HttpStatusCode.OK, Ct);
            Assert.AreEqual(id, page.GetProperty("instances").EnumerateArray().Single().GetProperty("instanceId").GetString());
        }

        await PostAsync("restartPostUri", "unused");
        await Eventually.HoldsAsync(async () => await RuntimeStatusAsync() == "Running", Patience, "running again");
        await PostAsync("terminatePostUri", "stop again");
        await Eventually.HoldsAsync(async () => await RuntimeStatusAsync() == "Terminated", Patience, "Terminated again");

        using HttpResponseMessage purged = await host.Http.DeleteAsync(Returned("purgeHistoryDeleteUri"), Ct);
        Assert.AreEqual(1, (await purged.ExpectJsonAsync(HttpStatusCode.OK, Ct)).GetProperty("instancesDeleted").GetInt32());
        using HttpResponseMessage gone = await host.Http.GetAsync(Returned("statusQueryGetUri"), Ct);
        await gone.ExpectProblemAsync(HttpStatusCode.NotFound, Ct, "instanceId");
    }

    /// <summary>
    /// Either refuse the id (400) or return URIs that reach it. "." and ".." pass validation, but as path segments they
    /// are dot segments: every client (and Kestrel) resolves <c>/api/instances/..</c> to <c>/api/</c>, and
    /// <c>/api/instances/.</c> to <c>/api/instances/</c> (the list), so the instance cannot be reached over HTTP.
    /// </summary>
    [TestMethod]
    [DataRow("..")]
    [DataRow(".")]
    public async Task InstanceId_DotSegment_IsRefusedOrAddressable(string id)
    {
        await using TestHost host = await StartHostAsync();

        using HttpResponseMessage start = await host.Http.PostAsync(new Uri($"api/workflows/hello-sequence?instanceId={id}", UriKind.Relative), null, Ct);

        if (start.StatusCode == HttpStatusCode.BadRequest)
        {
            await start.ExpectProblemAsync(HttpStatusCode.BadRequest, Ct, "instanceId");
            return;
        }

        JsonElement payload = await start.ExpectJsonAsync(HttpStatusCode.Accepted, Ct);
        string statusUri = payload.GetProperty("statusQueryGetUri").GetString()!;
        await Eventually.HoldsAsync(
            async () =>
            {
                using HttpResponseMessage status = await host.Http.GetAsync(new Uri(statusUri), Ct);
                string body = await status.Content.ReadAsStringAsync(Ct);
                Assert.IsTrue(status.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted, $"{statusUri} answered {(int)status.StatusCode}: the returned status URI does not address instance '{id}'");
                Assert.AreEqual(id, JsonSerializer.Deserialize<JsonElement>(body).StringOrNull("instanceId"), $"{statusUri} answered with something else than instance '{id}': {body}");
                return status.StatusCode == HttpStatusCode.OK;
            },
            Patience,
            "the instance to complete");
    }

    [TestMethod]
    public async Task StartWorkflow_DeeplyNestedJson_Returns400NotA500()
    {
        await using TestHost host = await StartHostAsync();
        string body = $$"""{ "names": {{new string('[', 5000)}}{{new string(']', 5000)}} }""";

        using HttpResponseMessage response = await host.Http.PostAsync(new Uri("api/workflows/hello-sequence", UriKind.Relative), Body(body), Ct);

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, Ct, "body");
    }

    Task<HttpResponseMessage> SendAsync(TestHost host, HttpMethod method, string path, IReadOnlyDictionary<string, string> headers, string? body = null)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = Body(body) };
        foreach ((string name, string value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return host.Http.SendAsync(request, Ct);
    }
}

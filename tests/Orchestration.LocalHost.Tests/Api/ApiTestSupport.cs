using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Orchestration.LocalHost.Engine;
using Orchestration.LocalHost.Tests.Infrastructure;

namespace Orchestration.LocalHost.Tests.Api;

/// <summary>Shared plumbing for the HTTP API tests: a host per test, JSON and problem+json assertions, polling.</summary>
public abstract class ApiTestBase
{
    /// <summary>Generous, so a loaded 2-core box does not fail a test that would pass; the happy path takes milliseconds.</summary>
    protected static readonly TimeSpan Patience = Deadlines.Short;

    public TestContext TestContext { get; set; } = null!;

    protected CancellationToken Ct => TestContext.CancellationToken;

    protected Task<TestHost> StartHostAsync(EngineBackend backend = EngineBackend.InMemory, IReadOnlyDictionary<string, string>? settings = null) =>
        TestHost.StartAsync(new TestHostOptions { Backend = backend, Settings = settings ?? new Dictionary<string, string>() }, Ct);

    protected static string InstancePath(string instanceId) => $"api/instances/{Uri.EscapeDataString(instanceId)}";

    protected static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>POST a workflow and expect the 202 check-status payload.</summary>
    protected async Task<JsonElement> StartAsync(TestHost host, string workflow, string? body = null, string? instanceId = null)
    {
        string query = instanceId is null ? string.Empty : $"?instanceId={Uri.EscapeDataString(instanceId)}";
        using HttpResponseMessage response = await host.Http.PostAsync(new Uri($"api/workflows/{workflow}{query}", UriKind.Relative), Body(body), Ct);
        return await response.ExpectJsonAsync(HttpStatusCode.Accepted, Ct);
    }

    /// <summary>POST a workflow with <c>wait=30</c> and expect it to complete (Completed, polled on past the wait on a loaded box).</summary>
    protected async Task<JsonElement> RunAsync(TestHost host, string workflow, string? body = null, string? instanceId = null)
    {
        string query = instanceId is null ? "?wait=30" : $"?wait=30&instanceId={Uri.EscapeDataString(instanceId)}";
        using HttpResponseMessage response = await host.Http.PostAsync(new Uri($"api/workflows/{workflow}{query}", UriKind.Relative), Body(body), Ct);
        JsonElement status = await response.ExpectFinishedAsync(host.Http, Ct);
        Assert.AreEqual("Completed", status.GetProperty("runtimeStatus").GetString(), status.ToString());
        return status;
    }

    /// <summary>Starts an <c>approval</c> (one-hour timeout) and waits until it is waiting for its decision.</summary>
    protected async Task<JsonElement> StartApprovalAsync(TestHost host, string instanceId, string subject = "budget")
    {
        JsonElement payload = await StartAsync(host, "approval", $$"""{ "subject": "{{subject}}", "timeoutSeconds": 3600 }""", instanceId);
        await WaitForAsync(host, instanceId, s => s.TryGetProperty("customStatus", out JsonElement c) && c.GetProperty("stage").GetString() == "waiting-for-decision", "approval waiting for its decision");
        return payload;
    }

    /// <summary>Polls <c>GET /api/instances/{id}</c> until the status satisfies <paramref name="condition"/>; returns that status.</summary>
    protected async Task<JsonElement> WaitForAsync(TestHost host, string instanceId, Func<JsonElement, bool> condition, string what)
    {
        string text = await Eventually.ReturnsAsync(
            async () =>
            {
                using HttpResponseMessage response = await host.Http.GetAsync(new Uri(InstancePath(instanceId), UriKind.Relative), Ct);
                if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Accepted))
                {
                    return null;
                }

                string body = await response.Content.ReadAsStringAsync(Ct);
                return condition(JsonSerializer.Deserialize<JsonElement>(body)) ? body : null;
            },
            Patience,
            $"instance '{instanceId}': {what}");
        return JsonSerializer.Deserialize<JsonElement>(text);
    }

    protected Task<JsonElement> WaitForStatusAsync(TestHost host, string instanceId, string runtimeStatus) =>
        WaitForAsync(host, instanceId, s => s.GetProperty("runtimeStatus").GetString() == runtimeStatus, $"runtimeStatus {runtimeStatus}");

    protected static HttpContent? Body(string? json) => json is null ? null : new StringContent(json, Encoding.UTF8, "application/json");

    /// <summary>Sends a request without the default API key (a fresh client), with the given headers.</summary>
    protected async Task<HttpResponseMessage> SendWithoutKeyAsync(TestHost host, HttpMethod method, string path, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var client = new HttpClient { BaseAddress = host.Http.BaseAddress };
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        foreach ((string name, string value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        HttpResponseMessage response = await client.SendAsync(request, Ct);
        await response.Content.LoadIntoBufferAsync(Ct);
        return response;
    }
}

internal static class ApiAssert
{
    public const string ProblemJson = "application/problem+json";

    public static async Task<JsonElement> ExpectJsonAsync(this HttpResponseMessage response, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        string text = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.AreEqual(expected, response.StatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {text}");
        return Parse(response, text);
    }

    /// <summary>
    /// The final status of a run started with <c>?wait=</c>: the 200 answer when it finished within the wait, or, when a
    /// loaded box made it answer 202 (still running), the status polled from <c>GET /api/instances/{id}</c> until it
    /// finishes. Tests of the wait itself assert on the 200 directly instead.
    /// </summary>
    public static async Task<JsonElement> ExpectFinishedAsync(this HttpResponseMessage response, HttpClient http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            return await response.ExpectJsonAsync(HttpStatusCode.OK, cancellationToken);
        }

        JsonElement accepted = Parse(response, await response.Content.ReadAsStringAsync(cancellationToken));
        string id = accepted.GetProperty("id").GetString()!;
        string final = await Eventually.ReturnsAsync(
            async () =>
            {
                using HttpResponseMessage status = await http.GetAsync(new Uri($"api/instances/{Uri.EscapeDataString(id)}", UriKind.Relative), cancellationToken);
                return status.StatusCode == HttpStatusCode.OK ? await status.Content.ReadAsStringAsync(cancellationToken) : null;
            },
            Deadlines.Short,
            $"instance '{id}' to finish");
        return JsonSerializer.Deserialize<JsonElement>(final);
    }

    /// <summary>
    /// Asserts an RFC 9457 problem: the status, <c>application/problem+json</c>, a title, and a detail that mentions each of
    /// <paramref name="detailMentions"/> (the field or what to fix).
    /// </summary>
    public static async Task<JsonElement> ExpectProblemAsync(this HttpResponseMessage response, HttpStatusCode expected, CancellationToken cancellationToken, params string[] detailMentions)
    {
        string text = await response.Content.ReadAsStringAsync(cancellationToken);
        string request = $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}";
        Assert.AreNotEqual(HttpStatusCode.InternalServerError, response.StatusCode, $"{request} failed with a 500: {text}");
        Assert.AreEqual(expected, response.StatusCode, $"{request}: {text}");
        Assert.AreEqual(ProblemJson, response.Content.Headers.ContentType?.MediaType, $"{request}: content type of {text}");
        JsonElement problem = Parse(response, text);
        Assert.AreEqual((int)expected, problem.GetProperty("status").GetInt32(), text);
        Assert.IsFalse(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()), $"{request}: no title in {text}");
        string? detail = problem.TryGetProperty("detail", out JsonElement d) ? d.GetString() : null;
        Assert.IsFalse(string.IsNullOrWhiteSpace(detail), $"{request}: no detail in {text}");
        foreach (string mention in detailMentions)
        {
            Assert.Contains(mention, detail, $"{request}: the detail should mention '{mention}'");
        }

        return problem;
    }

    public static string[] Strings(this JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    public static string? StringOrNull(this JsonElement element, string property) =>
        element.TryGetProperty(property, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    static JsonElement Parse(HttpResponseMessage response, string text)
    {
        try
        {
            return JsonSerializer.Deserialize<JsonElement>(text);
        }
        catch (JsonException ex)
        {
            throw new AssertFailedException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode} with non-JSON: '{text}'", ex);
        }
    }
}

/// <summary>A body sent chunked (no Content-Length), so the server cannot refuse it up front and must count as it reads.</summary>
internal sealed class ChunkedContent : HttpContent
{
    readonly byte[] data;

    public ChunkedContent(byte[] data)
    {
        this.data = data;
        Headers.ContentType = new MediaTypeHeaderValue("application/json");
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        for (int offset = 0; offset < data.Length; offset += 64 * 1024)
        {
            await stream.WriteAsync(data.AsMemory(offset, Math.Min(64 * 1024, data.Length - offset)));
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}

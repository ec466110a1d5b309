using Microsoft.AspNetCore.Http;
using Orchestration.Workflows.Http;

namespace Orchestration.Workflows.Tests.Http;

[TestClass]
public sealed class InstanceUrisTests
{
    static HttpRequest Request(string scheme = "http", string? host = "localhost:7071")
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = scheme;
        if (host is not null)
        {
            context.Request.Host = new HostString(host);
        }

        return context.Request;
    }

    [TestMethod]
    public void BaseUri_PlainRequest_SchemeHostAndApi()
    {
        Assert.AreEqual("http://localhost:7071/api", InstanceUris.BaseUri(Request()));
    }

    [TestMethod]
    public void BaseUri_NoHost_FallsBackToLocalhost()
    {
        Assert.AreEqual("https://localhost/api", InstanceUris.BaseUri(Request("https", null)));
    }

    [TestMethod]
    public void BaseUri_ForwardedProtoAndHost_Honoured()
    {
        HttpRequest request = Request();
        request.Headers["X-Forwarded-Proto"] = "https";
        request.Headers["X-Forwarded-Host"] = "api.example.com";

        Assert.AreEqual("https://api.example.com/api", InstanceUris.BaseUri(request));
    }

    [TestMethod]
    [DataRow("api.example.com:8443")]
    [DataRow("10.0.0.5:8080")]
    [DataRow("[::1]:8080")]
    public void BaseUri_ForwardedHostWithPort_Honoured(string forwarded)
    {
        HttpRequest request = Request();
        request.Headers["X-Forwarded-Host"] = forwarded;

        Assert.AreEqual($"http://{forwarded}/api", InstanceUris.BaseUri(request));
    }

    [TestMethod]
    public void BaseUri_ForwardedProtoUpperCase_Lowercased()
    {
        HttpRequest request = Request();
        request.Headers["X-Forwarded-Proto"] = "HTTPS";

        Assert.AreEqual("https://localhost:7071/api", InstanceUris.BaseUri(request));
    }

    [TestMethod]
    [DataRow("evil.com/path")]
    [DataRow("a@b")]
    [DataRow("x\r\ny")]
    [DataRow("evil.com?x=1")]
    [DataRow("evil.com#frag")]
    [DataRow("javascript:alert(1)")]
    [DataRow("host:notaport")]
    [DataRow("   ")]
    public void BaseUri_HostileForwardedHost_Ignored(string hostile)
    {
        HttpRequest request = Request();
        request.Headers["X-Forwarded-Host"] = hostile;

        Assert.AreEqual("http://localhost:7071/api", InstanceUris.BaseUri(request));
    }

    [TestMethod]
    public void BaseUri_300CharForwardedHost_Ignored()
    {
        HttpRequest request = Request();
        request.Headers["X-Forwarded-Host"] = string.Join('.', Enumerable.Repeat(new string('a', 59), 5));

        Assert.AreEqual("http://localhost:7071/api", InstanceUris.BaseUri(request));
    }

    [TestMethod]
    [DataRow("javascript")]
    [DataRow("ftp")]
    [DataRow("https://evil")]
    [DataRow("http\r\nX-Injected: 1")]
    public void BaseUri_HostileForwardedProto_Ignored(string hostile)
    {
        HttpRequest request = Request();
        request.Headers["X-Forwarded-Proto"] = hostile;

        Assert.AreEqual("http://localhost:7071/api", InstanceUris.BaseUri(request));
    }

    [TestMethod]
    public void BaseUri_ListOfForwardedValues_TakesTheFirst()
    {
        HttpRequest request = Request("http");
        request.Headers["X-Forwarded-Proto"] = "https, http";
        request.Headers["X-Forwarded-Host"] = "front.example.com, inner.example.com";

        Assert.AreEqual("https://front.example.com/api", InstanceUris.BaseUri(request));
    }

    [TestMethod]
    public void CheckStatus_Id_AllUrisUnderTheEscapedInstance()
    {
        HttpRequest request = Request("https", "func.example.net");

        CheckStatusPayload payload = InstanceUris.CheckStatus(request, "a b:c/d");

        const string instance = "https://func.example.net/api/instances/a%20b%3Ac%2Fd";
        Assert.AreEqual("a b:c/d", payload.Id);
        Assert.AreEqual(instance, payload.StatusQueryGetUri);
        Assert.AreEqual(instance + "/raiseEvent/{eventName}", payload.SendEventPostUri);
        Assert.AreEqual(instance + "/terminate?reason={text}", payload.TerminatePostUri);
        Assert.AreEqual(instance, payload.PurgeHistoryDeleteUri);
        Assert.AreEqual(instance + "/suspend?reason={text}", payload.SuspendPostUri);
        Assert.AreEqual(instance + "/resume?reason={text}", payload.ResumePostUri);
        Assert.AreEqual(instance + "/restart", payload.RestartPostUri);
    }

    [TestMethod]
    public void CheckStatus_ForwardedHost_UsedInEveryUri()
    {
        HttpRequest request = Request();
        request.Headers["X-Forwarded-Host"] = "api.example.com";
        request.Headers["X-Forwarded-Proto"] = "https";

        CheckStatusPayload payload = InstanceUris.CheckStatus(request, "id1");

        string[] uris = [payload.StatusQueryGetUri, payload.SendEventPostUri, payload.TerminatePostUri, payload.PurgeHistoryDeleteUri, payload.SuspendPostUri, payload.ResumePostUri, payload.RestartPostUri];
        Assert.IsTrue(Array.TrueForAll(uris, u => u.StartsWith("https://api.example.com/api/instances/id1", StringComparison.Ordinal)), string.Join(" ", uris));
    }

    [TestMethod]
    [DataRow("evil.com:99999")]
    [DataRow("evil.com:65536")]
    [DataRow("evil.com:0")]
    [DataRow("evil.com:123456789012")]
    [DataRow("évil.com")]
    [DataRow("evil.com:")]
    [DataRow("evil.com:80:81")]
    [DataRow("[::1")]
    [DataRow("[zz]:80")]
    public void HostProblem_InvalidHost_400AndNeverEchoed(string host)
    {
        HttpRequest request = Request("http", host);

        Assert.IsNotNull(InstanceUris.HostProblem(request), host);
        Assert.AreEqual("http://localhost/api", InstanceUris.BaseUri(request));
    }

    [TestMethod]
    [DataRow("localhost:7071")]
    [DataRow("func.example.net")]
    [DataRow("api.example.com:443")]
    [DataRow("127.0.0.1:65535")]
    [DataRow("[::1]:8080")]
    [DataRow("[::1]")]
    public void HostProblem_ValidHost_None(string host)
    {
        HttpRequest request = Request("http", host);

        Assert.IsNull(InstanceUris.HostProblem(request), host);
        Assert.AreEqual($"http://{host}/api", InstanceUris.BaseUri(request));
    }

    [TestMethod]
    [DataRow("évil.com")]
    [DataRow("xn--vil-bma.com:0")]
    [DataRow("api.example.com:70000")]
    public void BaseUri_NonAsciiOrBadPortForwardedHost_Ignored(string forwarded)
    {
        HttpRequest request = Request();
        request.Headers["X-Forwarded-Host"] = forwarded;

        Assert.AreEqual("http://localhost:7071/api", InstanceUris.BaseUri(request));
    }
}

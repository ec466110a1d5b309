using Microsoft.AspNetCore.Http;
using Orchestration.Workflows.Http;
using Orchestration.Workflows.Tests.Infrastructure;

namespace Orchestration.Workflows.Tests.Http;

/// <summary>
/// What the start route refuses of a file upload before any storage is touched (the API here has none: reaching it
/// throws). The upload itself runs end to end in the local host's <c>ImagePipelineUploadTests</c>.
/// </summary>
[TestClass]
public sealed class WorkflowApiUploadTests
{
    static readonly UploadPolicy Images = new("image-pipeline", "images-in", MaxBytes: 1000);

    static async Task<HttpOutcome> Upload(ClientFake client, string workflow, string? query, byte[] body, string contentType = "image/jpeg", long? claimedLength = -1)
    {
        HttpRequest request = HttpFake.Request("POST", $"/api/workflows/{workflow}", query, body);
        request.ContentType = contentType;
        if (claimedLength != -1)
        {
            request.ContentLength = claimedLength;
        }

        IResult result = await HttpFake.Api(uploads: Images).StartAsync(request, client.Object, workflow, CancellationToken.None);
        return await HttpFake.ExecuteAsync(request, result);
    }

    [TestMethod]
    [DataRow("image/jpeg", true)]
    [DataRow("IMAGE/PNG; charset=binary", true)]
    [DataRow("application/octet-stream", true)]
    [DataRow("application/json", false)]
    [DataRow("application/x-www-form-urlencoded", false)]
    [DataRow("text/plain", false)]
    [DataRow(null, false)]
    [DataRow("not a media type", false)]
    public void IsUpload_OnlyForImageAndOctetStreamBodies(string? contentType, bool expected)
    {
        HttpRequest request = HttpFake.Request("POST", "/api/workflows/image-pipeline", null, [1, 2, 3]);
        request.ContentType = contentType;

        Assert.AreEqual(expected, BlobUpload.IsUpload(request), contentType ?? "null");
    }

    [TestMethod]
    public async Task Upload_ToAWorkflowWithoutUploads_415NamingWhichWorkflowsTakeFiles()
    {
        var client = new ClientFake();

        HttpOutcome outcome = await Upload(client, "hello-sequence", "?name=a.jpg", [1, 2, 3]);

        string detail = outcome.ProblemDetail(415);
        Assert.Contains("hello-sequence does not take", detail);
        Assert.Contains("Files are taken by: image-pipeline", detail);
        Assert.IsEmpty(client.Starts);
    }

    [TestMethod]
    [DataRow(null, "name: required")]
    [DataRow("?name=", "name: required")]
    [DataRow("?name=..%2Fx.jpg", "cannot name a blob")]
    [DataRow("?name=a%5Cb.jpg", "cannot name a blob")]
    [DataRow("?name=a.jpg&instanceId=mine", "instanceId: an upload's instance id comes from the stored blob")]
    public async Task Upload_BadNameOrOwnInstanceId_400(string? query, string mention)
    {
        var client = new ClientFake();

        HttpOutcome outcome = await Upload(client, "image-pipeline", query, [1, 2, 3]);

        Assert.Contains(mention, outcome.ProblemDetail(400));
        Assert.IsEmpty(client.Starts);
    }

    [TestMethod]
    public async Task Upload_ClaimingMoreThanTheLimit_413BeforeReadingOrStoring()
    {
        var client = new ClientFake();

        HttpOutcome outcome = await Upload(client, "image-pipeline", "?name=a.jpg", [1, 2, 3], claimedLength: 1001);

        string detail = outcome.ProblemDetail(413);
        Assert.Contains("1001 bytes", detail);
        Assert.Contains("at most 1000 bytes", detail);
        Assert.IsEmpty(client.Starts);
    }

    [TestMethod]
    public async Task Upload_ClaimingZeroBytes_400Empty()
    {
        var client = new ClientFake();

        HttpOutcome outcome = await Upload(client, "image-pipeline", "?name=a.jpg", [], claimedLength: 0);

        Assert.Contains("body: empty", outcome.ProblemDetail(400));
        Assert.IsEmpty(client.Starts);
    }

    [TestMethod]
    [DataRow("cat.jpg")]
    [DataRow("a/b/c.jpg")]
    [DataRow("photo with spaces.jpg")]
    [DataRow("Ünïcødé 写真.png")]
    [DataRow("a..b.jpg")]
    [DataRow("..a.jpg")]
    public void NameProblem_NoneForNamesTheTriggerProcesses(string name) =>
        Assert.IsNull(BlobUpload.NameProblem(name));

    [TestMethod]
    [DataRow("/cat.jpg")]
    [DataRow("dir/")]
    [DataRow("a//b")]
    [DataRow("./a.jpg")]
    [DataRow("a/../b.jpg")]
    [DataRow("..")]
    [DataRow("a\\b.jpg")]
    [DataRow("cat.")]
    [DataRow("tab\t.jpg")]
    [DataRow("del\u007f.jpg")]
    [DataRow("nel\u0085.jpg")]
    public void NameProblem_ForNamesAUrlWouldRewriteOrAzureAdvisesAgainst(string name) =>
        Assert.IsNotNull(BlobUpload.NameProblem(name));

    [TestMethod]
    public void NameProblem_AtAzuresLengthLimit()
    {
        Assert.IsNull(BlobUpload.NameProblem(new string('x', 1024)));
        Assert.IsNotNull(BlobUpload.NameProblem(new string('x', 1025)));
    }
}

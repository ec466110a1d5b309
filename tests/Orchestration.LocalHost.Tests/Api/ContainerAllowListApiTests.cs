using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Orchestration.LocalHost.Tests.Infrastructure;

namespace Orchestration.LocalHost.Tests.Api;

/// <summary>
/// A key to the API is not a key to the storage account: the workflows that take a container name read only the
/// containers their definition allows, never the host's own <c>azure-webjobs-hosts</c> or any other.
/// </summary>
[TestClass]
public sealed class ContainerAllowListApiTests : ApiTestBase
{
    [TestMethod]
    [DataRow("blob-digest", """{ "container": "{c}", "name": "{n}" }""", "samples-in", DisplayName = "blob-digest")]
    [DataRow("image-pipeline", """{ "container": "{c}", "prefix": "" }""", "images-in", DisplayName = "image batch, whole container")]
    [DataRow("image-pipeline", """{ "container": "{c}", "name": "{n}" }""", "images-in", DisplayName = "image, one blob")]
    [DataRow("fraud-scan", """{ "container": "{c}", "name": "{n}" }""", "market-events", DisplayName = "fraud scan, one file")]
    [DataRow("fraud-scan", """{ "container": "{c}", "prefix": "" }""", "market-events", DisplayName = "fraud scan, prefix")]
    public async Task StartWorkflow_ContainerOutsideItsAllowList_Returns422NamingTheAllowedOnesAndStartsNothing(string workflow, string template, string allowed)
    {
        await using TestHost host = await StartHostAsync(settings: new Dictionary<string, string> { ["AzureWebJobsStorage"] = Infrastructure.Azurite.ConnectionString });
        var blobs = new BlobServiceClient(Infrastructure.Azurite.ConnectionString);
        string secret = $"SECRET-{Guid.NewGuid():N}-do-not-echo";
        string name = $"planted/{Guid.NewGuid():N}.jpg";
        BlobContainerClient hosts = blobs.GetBlobContainerClient("azure-webjobs-hosts");
        await hosts.CreateIfNotExistsAsync(cancellationToken: Ct);
        await hosts.GetBlobClient(name).UploadAsync(BinaryData.FromString(secret), Ct);
        string other = $"other-{Guid.NewGuid():N}"[..20];
        await blobs.GetBlobContainerClient(other).CreateIfNotExistsAsync(cancellationToken: Ct);
        await blobs.GetBlobContainerClient(other).GetBlobClient(name).UploadAsync(BinaryData.FromString(secret), Ct);

        foreach (string container in new[] { "azure-webjobs-hosts", "azure-webjobs-secrets", other })
        {
            string body = template.Replace("{c}", container, StringComparison.Ordinal).Replace("{n}", name, StringComparison.Ordinal);
            using HttpResponseMessage response = await host.Http.PostAsync(new Uri($"api/workflows/{workflow}?wait=5", UriKind.Relative), Body(body), Ct);

            JsonElement problem = await response.ExpectProblemAsync(HttpStatusCode.UnprocessableEntity, Ct, "container", container, allowed);
            Assert.IsTrue(problem.GetProperty("errors").Strings().Any(e => e.StartsWith("container:", StringComparison.Ordinal)), problem.ToString());
            Assert.DoesNotContain(secret, problem.ToString());
        }

        using (HttpResponseMessage list = await host.Http.GetAsync(new Uri("api/instances", UriKind.Relative), Ct))
        {
            Assert.AreEqual(0, (await list.ExpectJsonAsync(HttpStatusCode.OK, Ct)).GetProperty("instances").GetArrayLength(), "nothing was started");
        }

        // Nothing was copied anywhere: no rejected copy, no report, no digest names the planted blob.
        foreach (string output in new[] { "images-rejected", "images-out", "fraud-reports", "fraud-work", "samples-out" })
        {
            BlobContainerClient container = blobs.GetBlobContainerClient(output);
            if (!await container.ExistsAsync(Ct))
            {
                continue;
            }

            await foreach (BlobItem item in container.GetBlobsAsync(cancellationToken: Ct))
            {
                Assert.DoesNotContain("planted/", item.Name, $"{output}/{item.Name}");
            }
        }

        // The planted blob is untouched.
        Assert.AreEqual(secret, (await hosts.GetBlobClient(name).DownloadContentAsync(Ct)).Value.Content.ToString());
    }

    [TestMethod]
    public async Task StartBlobDigest_InItsOwnContainer_StillRuns()
    {
        await using TestHost host = await StartHostAsync(settings: new Dictionary<string, string> { ["AzureWebJobsStorage"] = Infrastructure.Azurite.ConnectionString });
        var blobs = new BlobServiceClient(Infrastructure.Azurite.ConnectionString);
        BlobContainerClient samples = blobs.GetBlobContainerClient("samples-in");
        await samples.CreateIfNotExistsAsync(cancellationToken: Ct);
        string name = $"allowed/{Guid.NewGuid():N}.txt";
        await samples.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(Encoding.UTF8.GetBytes("abc")), Ct);

        JsonElement status = await RunAsync(host, "blob-digest", $$"""{ "container": "samples-in", "name": "{{name}}" }""");

        // SHA-256("abc")
        Assert.AreEqual("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", status.GetProperty("output").GetProperty("digest").GetProperty("sha256").GetString());
    }
}

using System.Text.Json.Nodes;
using Orchestration.Workflows.Imaging;
using static Orchestration.Workflows.Tests.Imaging.ImagePipelineDefinitionSamples;

namespace Orchestration.Workflows.Tests.Imaging;

[TestClass]
public sealed class ImagePipelineDefinitionLoaderTests
{
    const string Source = "test/workflow.json";

    static JsonObject ShippedJson() =>
        (JsonObject)JsonNode.Parse(File.ReadAllText(ShippedWorkflowJson()), documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!;

    static ImagePipelineDefinitionException ParseFails(string json, Func<string, bool>? fontExists = null) =>
        Assert.ThrowsExactly<ImagePipelineDefinitionException>(() => ImagePipelineDefinitionLoader.Parse(json, Source, fontExists ?? AnyFont));

    [TestMethod]
    public void Load_ShippedWorkflowJsonInRepository_ProfilesWatermarkLimitsContainersAsSpecified()
    {
        ImagePipelineDefinition definition = ImagePipelineDefinitionLoader.Load(ShippedWorkflowJson(), FontInRepository);

        CollectionAssert.AreEqual(new[] { "desktop", "tablet", "mobile", "thumbnail" }, definition.Profiles.Select(p => p.Name).ToArray());
        DeviceProfile desktop = definition.Profiles[0];
        Assert.AreEqual((1920, 1080, FitMode.Contain, 85, true, false), (desktop.Width, desktop.Height, desktop.Fit, desktop.Quality, desktop.Watermark, desktop.KeepMetadata));
        foreach (DeviceProfile profile in definition.Profiles.Take(3))
        {
            CollectionAssert.AreEqual(new[] { ImageFormat.Jpeg, ImageFormat.WebP }, profile.Formats.ToArray(), profile.Name);
            Assert.AreEqual((FitMode.Contain, 85, true), (profile.Fit, profile.Quality, profile.Watermark), profile.Name);
        }

        Assert.AreEqual((1280, 800), (definition.Profiles[1].Width, definition.Profiles[1].Height));
        Assert.AreEqual((640, 640), (definition.Profiles[2].Width, definition.Profiles[2].Height));
        DeviceProfile thumbnail = definition.Profiles[3];
        Assert.AreEqual((150, 150, FitMode.Cover, 80, false), (thumbnail.Width, thumbnail.Height, thumbnail.Fit, thumbnail.Quality, thumbnail.Watermark));
        CollectionAssert.AreEqual(new[] { ImageFormat.Jpeg }, thumbnail.Formats.ToArray());
        Assert.AreEqual(
            new WatermarkSettings { Text = "© Orchestration", Position = WatermarkPosition.BottomRight, Opacity = 0.5, Scale = 0.25, Font = "DejaVuSans.ttf" },
            definition.Watermark);
        Assert.AreEqual((52428800L, 100000000L), (definition.Limits.MaxBytes, definition.Limits.MaxPixels));
        CollectionAssert.AreEqual(
            new[] { ImageFormat.Jpeg, ImageFormat.Png, ImageFormat.WebP, ImageFormat.Gif, ImageFormat.Tiff },
            definition.Limits.AllowedFormats.ToArray());
        Assert.AreEqual(new ImageContainers { Input = "images-in", Output = "images-out", Rejected = "images-rejected" }, definition.Containers);
    }

    [TestMethod]
    public void Load_CopiedNextToAssembly_SameAsRepositoryAndFontFound()
    {
        Assert.IsTrue(File.Exists(ImagePipelineDefinitionLoader.DefaultPath), ImagePipelineDefinitionLoader.DefaultPath);

        ImagePipelineDefinition copied = ImagePipelineDefinitionLoader.Load(ImagePipelineDefinitionLoader.DefaultPath);

        Assert.AreEqual(File.ReadAllText(ShippedWorkflowJson()), File.ReadAllText(ImagePipelineDefinitionLoader.DefaultPath));
        Assert.AreEqual(4, copied.Profiles.Count);
    }

    [TestMethod]
    public void Load_MissingFile_FileNotFoundNamingPath()
    {
        string path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "workflow.json");

        FileNotFoundException e = Assert.ThrowsExactly<FileNotFoundException>(() => ImagePipelineDefinitionLoader.Load(path, AnyFont));

        StringAssert.Contains(e.Message, path);
    }

    [TestMethod]
    public void Parse_FifthProfileInJson_AppearsWithoutCodeChange()
    {
        JsonObject json = ShippedJson();
        json["profiles"]!.AsArray().Add(new JsonObject
        {
            ["name"] = "watch",
            ["width"] = 320,
            ["height"] = 320,
            ["fit"] = "Cover",
            ["formats"] = new JsonArray("WebP"),
            ["quality"] = 70,
        });

        ImagePipelineDefinition definition = ImagePipelineDefinitionLoader.Parse(json.ToJsonString(), Source, AnyFont);

        Assert.AreEqual(5, definition.Profiles.Count);
        DeviceProfile watch = definition.Profiles[4];
        Assert.AreEqual(("watch", 320, 320, FitMode.Cover, 70, true), (watch.Name, watch.Width, watch.Height, watch.Fit, watch.Quality, watch.Watermark));
        CollectionAssert.AreEqual(new[] { ImageFormat.WebP }, watch.Formats.ToArray());
    }

    [TestMethod]
    public void Parse_OnlyProfiles_DefaultsForTheRest()
    {
        ImagePipelineDefinition definition = ImagePipelineDefinitionLoader.Parse(
            """{ "profiles": [ { "name": "small", "width": 100, "height": 100 } ] }""", Source, AnyFont);

        Assert.AreEqual(new WatermarkSettings(), definition.Watermark);
        Assert.AreEqual(new ImageContainers(), definition.Containers);
        Assert.AreEqual(52428800L, definition.Limits.MaxBytes);
        CollectionAssert.AreEqual(new[] { ImageFormat.Jpeg }, definition.Profiles[0].Formats.ToArray());
    }

    [TestMethod]
    public void Parse_CommentsTrailingCommasAnyCase_Accepted()
    {
        const string json = """
            {
              // a comment
              "Profiles": [ { "NAME": "small", "width": 100, "height": 100, "fit": "cover", "formats": ["webp",], }, ],
              /* another */
            }
            """;

        ImagePipelineDefinition definition = ImagePipelineDefinitionLoader.Parse(json, Source, AnyFont);

        Assert.AreEqual(FitMode.Cover, definition.Profiles[0].Fit);
        CollectionAssert.AreEqual(new[] { ImageFormat.WebP }, definition.Profiles[0].Formats.ToArray());
    }

    [TestMethod]
    public void Parse_UnknownProperty_ErrorNamesPropertyPathAndKnownOnes()
    {
        const string json = """
            {
              "profiles": [
                { "name": "small", "width": 100, "height": 100, "colour": "red" }
              ]
            }
            """;

        ImagePipelineDefinitionException e = ParseFails(json);

        Assert.AreEqual(1, e.Errors.Count);
        StringAssert.StartsWith(e.Errors[0], "profiles[0].colour: unknown property 'colour' (known: name, width, height, fit, formats, quality, watermark, keepMetadata)");
        StringAssert.Contains(e.Errors[0], "(line 3, position ");
        StringAssert.Contains(e.Message, Source);
        Assert.AreEqual(Source, e.DefinitionSource);
    }

    [TestMethod]
    public void Parse_UnknownTopLevelProperty_ErrorNamesIt()
    {
        ImagePipelineDefinitionException e = ParseFails("""{ "profile": [] }""");

        StringAssert.StartsWith(e.Errors[0], "profile: unknown property 'profile' (known: profiles, watermark, limits, containers)");
    }

    [TestMethod]
    public void Parse_MalformedJson_MessageNamesSourceLineAndPosition()
    {
        const string json = """
            {
              "profiles": [
                { "name": "small" "width": 100 }
              ]
            }
            """;

        ImagePipelineDefinitionException e = ParseFails(json);

        StringAssert.Contains(e.Message, Source);
        StringAssert.Contains(e.Message, "(line 3, position 23)");
        StringAssert.StartsWith(e.Errors[0], "profiles[0]");
        Assert.IsInstanceOfType<System.Text.Json.JsonException>(e.InnerException);
    }

    [TestMethod]
    public void Parse_UnknownEnumName_ErrorListsNames()
    {
        ImagePipelineDefinitionException e = ParseFails("""{ "profiles": [ { "name": "a", "width": 1, "height": 1, "fit": "Fill" } ] }""");

        StringAssert.StartsWith(e.Errors[0], "profiles[0].fit: must be one of Contain, Cover (line 1, position ");
    }

    [TestMethod]
    public void Parse_NullForNonNullableField_ErrorNamesPath()
    {
        ImagePipelineDefinitionException e = ParseFails("""{ "profiles": [ { "name": null, "width": 1, "height": 1 } ] }""");

        StringAssert.StartsWith(e.Errors[0], "profiles[0].name: ");
    }

    [TestMethod]
    public void Parse_NullDocument_SaysObjectExpected()
    {
        ImagePipelineDefinitionException e = ParseFails("null");

        CollectionAssert.AreEqual(new[] { "$: must be an object, not null" }, e.Errors.ToArray());
    }

    [TestMethod]
    public void Parse_SeveralRuleViolations_MessageListsEveryOne()
    {
        JsonObject json = ShippedJson();
        json["profiles"]![2]!["width"] = 0;
        json["profiles"]![1]!["name"] = "desktop";
        json["watermark"]!["opacity"] = 1.5;
        json["containers"]!["rejected"] = "Rejected";

        ImagePipelineDefinitionException e = ParseFails(json.ToJsonString());

        string[] expected =
        [
            "profiles[1].name: 'desktop' is used twice (first at profiles[0])",
            "profiles[2].width: must be 1 to 16384 (was 0)",
            "watermark.opacity: must be between 0 and 1 (was 1.5)",
            "containers.rejected: must be a valid Azure container name: 3 to 63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit (was 'Rejected')",
        ];
        CollectionAssert.AreEqual(expected, e.Errors.ToArray());
        StringAssert.StartsWith(e.Message, $"{Source} is not a valid image pipeline definition (4 errors):");
        foreach (string error in expected)
        {
            StringAssert.Contains(e.Message, error);
        }
    }

    [TestMethod]
    public void Parse_FontMissing_UsesInjectedCheck()
    {
        ImagePipelineDefinitionException e = ParseFails(ShippedJson().ToJsonString(), _ => false);

        CollectionAssert.AreEqual(new[] { "watermark.font: 'DejaVuSans.ttf' not found in assets/fonts" }, e.Errors.ToArray());
    }
}

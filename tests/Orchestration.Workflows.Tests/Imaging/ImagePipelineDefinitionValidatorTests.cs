using Orchestration.Workflows.Imaging;
using static Orchestration.Workflows.Tests.Imaging.ImagePipelineDefinitionSamples;

namespace Orchestration.Workflows.Tests.Imaging;

[TestClass]
public sealed class ImagePipelineDefinitionValidatorTests
{
    static void AssertOnlyError(ImagePipelineDefinition definition, string expected, Func<string, bool>? fontExists = null)
    {
        IReadOnlyList<string> errors = ImagePipelineDefinitionValidator.Validate(definition, fontExists ?? AnyFont);

        CollectionAssert.AreEqual(new[] { expected }, errors.ToArray(), "errors: " + string.Join(" | ", errors));
    }

    [TestMethod]
    public void Validate_ValidDefinition_NoErrors()
    {
        Assert.AreEqual(0, ImagePipelineDefinitionValidator.Validate(Valid, AnyFont).Count);
    }

    [TestMethod]
    public void Validate_NoProfiles_NamesProfiles()
    {
        AssertOnlyError(Valid with { Profiles = [] }, "profiles: needs at least one profile");
    }

    [TestMethod]
    public void Validate_ZeroWidth_NamesWidthWithValue()
    {
        AssertOnlyError(WithProfile(2, p => p with { Width = 0 }), "profiles[2].width: must be 1 to 16384 (was 0)");
    }

    [TestMethod]
    public void Validate_HeightTooLarge_NamesHeightWithValue()
    {
        AssertOnlyError(WithProfile(0, p => p with { Height = 16385 }), "profiles[0].height: must be 1 to 16384 (was 16385)");
    }

    [TestMethod]
    public void Validate_CoverWithoutHeight_SaysCoverNeedsBoth()
    {
        AssertOnlyError(
            WithProfile(3, p => p with { Height = 0 }),
            "profiles[3].height: must be 1 to 16384 (was 0); Cover needs both width and height");
    }

    [TestMethod]
    public void Validate_DuplicateName_NamesSecondOccurrence()
    {
        AssertOnlyError(WithProfile(2, p => p with { Name = "tablet" }), "profiles[2].name: 'tablet' is used twice (first at profiles[1])");
    }

    [TestMethod]
    [DataRow("Desktop")]
    [DataRow("desk top")]
    [DataRow("desk_top")]
    [DataRow("a-name-that-is-longer-than-32-chars")]
    public void Validate_BadName_NamesNameWithValue(string name)
    {
        AssertOnlyError(
            WithProfile(0, p => p with { Name = name }),
            $"profiles[0].name: must be lowercase letters, digits and hyphens, 1 to 32 characters (was '{name}')");
    }

    [TestMethod]
    public void Validate_EmptyName_SaysRequired()
    {
        AssertOnlyError(
            WithProfile(1, p => p with { Name = "" }),
            "profiles[1].name: is required (lowercase letters, digits and hyphens, 1 to 32 characters)");
    }

    [TestMethod]
    public void Validate_GifOutput_SaysUseJpegOrWebP()
    {
        AssertOnlyError(
            WithProfile(0, p => p with { Formats = [ImageFormat.Jpeg, ImageFormat.Gif] }),
            "profiles[0].formats[1]: Gif cannot be an output format; use Jpeg or WebP");
    }

    [TestMethod]
    public void Validate_NoFormats_NamesFormats()
    {
        AssertOnlyError(WithProfile(0, p => p with { Formats = [] }), "profiles[0].formats: needs at least one format; use Jpeg or WebP");
    }

    [TestMethod]
    public void Validate_FormatTwice_NamesSecondIndex()
    {
        AssertOnlyError(
            WithProfile(1, p => p with { Formats = [ImageFormat.WebP, ImageFormat.Jpeg, ImageFormat.WebP] }),
            "profiles[1].formats[2]: WebP is listed twice");
    }

    [TestMethod]
    public void Validate_UndefinedFit_NamesFit()
    {
        AssertOnlyError(WithProfile(0, p => p with { Fit = (FitMode)7 }), "profiles[0].fit: 7 is not a fit mode; use Contain or Cover");
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(101)]
    public void Validate_QualityOutOfRange_NamesQuality(int quality)
    {
        AssertOnlyError(WithProfile(3, p => p with { Quality = quality }), $"profiles[3].quality: must be 1 to 100 (was {quality})");
    }

    [TestMethod]
    public void Validate_OpacityAboveOne_NamesOpacity()
    {
        AssertOnlyError(Valid with { Watermark = Valid.Watermark with { Opacity = 1.5 } }, "watermark.opacity: must be between 0 and 1 (was 1.5)");
    }

    [TestMethod]
    [DataRow(0.0)]
    [DataRow(-0.1)]
    [DataRow(1.01)]
    public void Validate_ScaleOutOfRange_NamesScale(double scale)
    {
        ImagePipelineDefinition definition = Valid with { Watermark = Valid.Watermark with { Scale = scale } };

        IReadOnlyList<string> errors = ImagePipelineDefinitionValidator.Validate(definition, AnyFont);

        Assert.AreEqual(1, errors.Count);
        StringAssert.StartsWith(errors[0], "watermark.scale: must be in (0, 1] (was ");
    }

    [TestMethod]
    public void Validate_UndefinedPosition_NamesPosition()
    {
        AssertOnlyError(
            Valid with { Watermark = Valid.Watermark with { Position = (WatermarkPosition)9 } },
            "watermark.position: 9 is not a position; use TopLeft, TopRight, BottomLeft, BottomRight, Center");
    }

    [TestMethod]
    public void Validate_NoTextNoLogoButWatermarkedProfiles_NamesWatermark()
    {
        AssertOnlyError(
            Valid with { Watermark = Valid.Watermark with { Text = " " } },
            "watermark: needs text or logoBlob (or set every profile's watermark to false)");
    }

    [TestMethod]
    public void Validate_NoTextNoLogoNoWatermarkedProfile_Valid()
    {
        ImagePipelineDefinition definition = Valid with
        {
            Profiles = [.. Valid.Profiles.Select(p => p with { Watermark = false })],
            Watermark = Valid.Watermark with { Text = null },
        };

        Assert.AreEqual(0, ImagePipelineDefinitionValidator.Validate(definition, _ => false).Count);
    }

    [TestMethod]
    public void Validate_LogoOnly_ValidWithoutFont()
    {
        ImagePipelineDefinition definition = Valid with { Watermark = Valid.Watermark with { Text = null, LogoBlob = "branding/logo.png" } };

        Assert.AreEqual(0, ImagePipelineDefinitionValidator.Validate(definition, _ => false).Count);
    }

    [TestMethod]
    [DataRow("logo.png")]
    [DataRow("branding/")]
    [DataRow("/logo.png")]
    [DataRow("Branding/logo.png")]
    [DataRow("branding/../secret.png")]
    public void Validate_BadLogoBlob_NamesLogoBlob(string logoBlob)
    {
        AssertOnlyError(
            Valid with { Watermark = Valid.Watermark with { LogoBlob = logoBlob } },
            $"watermark.logoBlob: must be \"container/name\" with a valid container name (was '{logoBlob}')");
    }

    [TestMethod]
    public void Validate_LogoInInputContainer_NamesLogoBlob()
    {
        AssertOnlyError(
            Valid with { Watermark = Valid.Watermark with { LogoBlob = "images-in/logo.png" } },
            "watermark.logoBlob: must not be in the input container 'images-in' (the pipeline would process it as an upload)");
    }

    [TestMethod]
    public void Validate_TextTooLong_NamesText()
    {
        AssertOnlyError(
            Valid with { Watermark = Valid.Watermark with { Text = new string('x', 201) } },
            "watermark.text: must be at most 200 characters (was 201)");
    }

    [TestMethod]
    public void Validate_FontMissing_NamesFont()
    {
        AssertOnlyError(Valid, "watermark.font: 'DejaVuSans.ttf' not found in assets/fonts", _ => false);
    }

    [TestMethod]
    [DataRow("../DejaVuSans.ttf")]
    [DataRow("sub/DejaVuSans.ttf")]
    [DataRow("..")]
    public void Validate_FontWithFolders_NamesFont(string font)
    {
        AssertOnlyError(
            Valid with { Watermark = Valid.Watermark with { Font = font } },
            $"watermark.font: must be a file name in assets/fonts, without folders (was '{font}')");
    }

    [TestMethod]
    public void Validate_FontChecked_WithFileNameOnly()
    {
        var asked = new List<string>();

        ImagePipelineDefinitionValidator.Validate(Valid, f => { asked.Add(f); return true; });

        CollectionAssert.AreEqual(new[] { "DejaVuSans.ttf" }, asked);
    }

    [TestMethod]
    [DataRow(0L)]
    [DataRow(-1L)]
    public void Validate_MaxBytesNotPositive_NamesMaxBytes(long maxBytes)
    {
        AssertOnlyError(Valid with { Limits = Valid.Limits with { MaxBytes = maxBytes } }, $"limits.maxBytes: must be positive (was {maxBytes})");
    }

    [TestMethod]
    public void Validate_MaxPixelsNotPositive_NamesMaxPixels()
    {
        AssertOnlyError(Valid with { Limits = Valid.Limits with { MaxPixels = 0 } }, "limits.maxPixels: must be positive (was 0)");
    }

    [TestMethod]
    public void Validate_NoAllowedFormats_NamesAllowedFormats()
    {
        AssertOnlyError(
            Valid with { Limits = Valid.Limits with { AllowedFormats = [] } },
            "limits.allowedFormats: needs at least one format (Jpeg, Png, WebP, Gif, Tiff, Heif)");
    }

    [TestMethod]
    public void Validate_AllowedFormatTwice_NamesSecondIndex()
    {
        AssertOnlyError(
            Valid with { Limits = Valid.Limits with { AllowedFormats = [ImageFormat.Png, ImageFormat.Jpeg, ImageFormat.Png] } },
            "limits.allowedFormats[2]: Png is listed twice");
    }

    [TestMethod]
    public void Validate_HeifAllowed_RefusedBecauseItsLoaderIsBlocked()
    {
        AssertOnlyError(
            Valid with { Limits = Valid.Limits with { AllowedFormats = [ImageFormat.Jpeg, ImageFormat.Heif] } },
            "limits.allowedFormats[1]: Heif cannot be accepted: its loader is blocked (HEIF/AVIF decoding is not enabled); use Jpeg, Png, WebP, Gif or Tiff");
    }

    [TestMethod]
    [DataRow("ab")]
    [DataRow("Images-In")]
    [DataRow("images--in")]
    [DataRow("-images")]
    [DataRow("images-")]
    [DataRow("images_in")]
    public void Validate_BadContainerName_NamesContainer(string name)
    {
        AssertOnlyError(
            Valid with { Containers = Valid.Containers with { Output = name } },
            $"containers.output: must be a valid Azure container name: 3 to 63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit (was '{name}')");
    }

    [TestMethod]
    public void Validate_ContainerNameOf63Chars_Valid()
    {
        ImagePipelineDefinition definition = Valid with { Containers = Valid.Containers with { Rejected = new string('r', 63) } };

        Assert.AreEqual(0, ImagePipelineDefinitionValidator.Validate(definition, AnyFont).Count);
    }

    [TestMethod]
    public void Validate_InputOtherThanTheTriggersContainer_NamesInput()
    {
        AssertOnlyError(
            Valid with { Containers = Valid.Containers with { Input = "uploads" } },
            "containers.input: must be 'images-in', the container the blob trigger watches (was 'uploads')");
    }

    [TestMethod]
    [DataRow("azure-webjobs-hosts", "containers.sources[1]: 'azure-webjobs-hosts' belongs to the Functions host (keys, leases, receipts); never list it")]
    [DataRow("azure-webjobs-secrets", "containers.sources[1]: 'azure-webjobs-secrets' belongs to the Functions host (keys, leases, receipts); never list it")]
    [DataRow("images-rejected", "containers.sources[1]: 'images-rejected' is containers.rejected, where the workflow writes; list only containers it reads")]
    [DataRow("images-in", "containers.sources[1]: 'images-in' is listed twice")]
    [DataRow("Bad_Name", "containers.sources[1]: must be a valid Azure container name (was 'Bad_Name')")]
    public void Validate_BadSource_NamesIt(string source, string error)
    {
        AssertOnlyError(Valid with { Containers = Valid.Containers with { Sources = ["images-in", source] } }, error);
    }

    [TestMethod]
    public void Validate_NoSources_SaysToListOne()
    {
        AssertOnlyError(
            Valid with { Containers = Valid.Containers with { Sources = [] } },
            "containers.sources: list at least one container a request may name as its input (e.g. the input container)");
    }

    [TestMethod]
    public void Validate_SameContainerTwice_NamesLaterField()
    {
        AssertOnlyError(
            Valid with { Containers = Valid.Containers with { Rejected = "images-in" } },
            "containers.rejected: 'images-in' is also containers.input; input, output and rejected must be three different containers");
    }

    [TestMethod]
    public void Validate_SeveralProblems_ReportsEveryOne()
    {
        ImagePipelineDefinition definition = WithProfile(2, p => p with { Width = 0, Quality = 0 }) with
        {
            Watermark = Valid.Watermark with { Opacity = 1.5 },
            Limits = Valid.Limits with { MaxBytes = 0 },
            Containers = Valid.Containers with { Output = "images-in" },
        };

        IReadOnlyList<string> errors = ImagePipelineDefinitionValidator.Validate(definition, _ => false);

        CollectionAssert.AreEqual(
            new[]
            {
                "profiles[2].width: must be 1 to 16384 (was 0)",
                "profiles[2].quality: must be 1 to 100 (was 0)",
                "watermark.opacity: must be between 0 and 1 (was 1.5)",
                "watermark.font: 'DejaVuSans.ttf' not found in assets/fonts",
                "limits.maxBytes: must be positive (was 0)",
                "containers.output: 'images-in' is also containers.input; input, output and rejected must be three different containers",
            },
            errors.ToArray());
    }
}

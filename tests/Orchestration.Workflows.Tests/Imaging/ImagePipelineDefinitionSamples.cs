using Orchestration.Workflows.Imaging;

namespace Orchestration.Workflows.Tests.Imaging;

/// <summary>A valid definition to break one field at a time, and where the shipped workflow.json lives.</summary>
static class ImagePipelineDefinitionSamples
{
    public static ImagePipelineDefinition Valid { get; } = new()
    {
        Profiles =
        [
            new DeviceProfile { Name = "desktop", Width = 1920, Height = 1080, Formats = [ImageFormat.Jpeg, ImageFormat.WebP] },
            new DeviceProfile { Name = "tablet", Width = 1280, Height = 800, Formats = [ImageFormat.Jpeg, ImageFormat.WebP] },
            new DeviceProfile { Name = "mobile", Width = 640, Height = 640, Formats = [ImageFormat.Jpeg, ImageFormat.WebP] },
            new DeviceProfile { Name = "thumbnail", Width = 150, Height = 150, Fit = FitMode.Cover, Quality = 80, Watermark = false },
        ],
    };

    public static bool AnyFont(string font) => true;

    /// <summary>The profile at <paramref name="index"/> of <see cref="Valid"/> replaced by <paramref name="change"/>'s result.</summary>
    public static ImagePipelineDefinition WithProfile(int index, Func<DeviceProfile, DeviceProfile> change) =>
        Valid with { Profiles = [.. Valid.Profiles.Select((p, i) => i == index ? change(p) : p)] };

    public static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Orchestration.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds Orchestration.sln.");
    }

    public static string ShippedWorkflowJson() => Path.Combine(RepositoryRoot(), "workflows", "image-pipeline", "workflow.json");

    public static bool FontInRepository(string font) => File.Exists(Path.Combine(RepositoryRoot(), "assets", "fonts", font));
}

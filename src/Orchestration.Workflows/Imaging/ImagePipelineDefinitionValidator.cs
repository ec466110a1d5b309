using System.Text.RegularExpressions;
using static Orchestration.Workflows.Definitions.DefinitionChecks;

namespace Orchestration.Workflows.Imaging;

/// <summary>
/// The rules of <c>workflow.json</c>. Reports every problem at once, each naming its field by JSON path:
/// <c>profiles[2].width: must be 1 to 16384 (was 0)</c>.
/// </summary>
public static partial class ImagePipelineDefinitionValidator
{
    public const int MaxDimension = 16384;

    public const int MaxProfileNameLength = 32;

    public const int MaxWatermarkTextLength = 200;

    /// <summary>The formats a variant can be written in.</summary>
    public static IReadOnlyList<ImageFormat> OutputFormats { get; } = [ImageFormat.Jpeg, ImageFormat.WebP];

    /// <summary>Checks <paramref name="definition"/>; <paramref name="fontExists"/> says whether a font file name exists in <c>assets/fonts</c>.</summary>
    /// <returns>Every problem found, empty when the definition is valid.</returns>
    public static IReadOnlyList<string> Validate(ImagePipelineDefinition definition, Func<string, bool> fontExists)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(fontExists);

        var errors = new List<string>();
        ValidateProfiles(definition.Profiles, errors);
        ValidateWatermark(definition, fontExists, errors);
        ValidateLimits(definition.Limits, errors);
        ValidateContainers(definition.Containers, errors);
        return errors;
    }

    static void ValidateProfiles(IReadOnlyList<DeviceProfile>? profiles, List<string> errors)
    {
        if (profiles is null || profiles.Count == 0)
        {
            errors.Add("profiles: needs at least one profile");
            return;
        }

        var firstIndexByName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < profiles.Count; i++)
        {
            string at = $"profiles[{i}]";
            DeviceProfile? profile = profiles[i];
            if (profile is null)
            {
                errors.Add($"{at}: must be an object, not null");
                continue;
            }

            ValidateProfileName(profile.Name, at, i, firstIndexByName, errors);

            if (!Enum.IsDefined(profile.Fit))
            {
                errors.Add($"{at}.fit: {Show(profile.Fit)} is not a fit mode; use {string.Join(" or ", Enum.GetNames<FitMode>())}");
            }

            string coverHint = profile.Fit == FitMode.Cover ? "; Cover needs both width and height" : string.Empty;
            if (profile.Width is < 1 or > MaxDimension)
            {
                errors.Add($"{at}.width: must be 1 to {MaxDimension} (was {Show(profile.Width)}){coverHint}");
            }

            if (profile.Height is < 1 or > MaxDimension)
            {
                errors.Add($"{at}.height: must be 1 to {MaxDimension} (was {Show(profile.Height)}){coverHint}");
            }

            ValidateOutputFormats(profile.Formats, at, errors);

            if (profile.Quality is < 1 or > 100)
            {
                errors.Add($"{at}.quality: must be 1 to 100 (was {Show(profile.Quality)})");
            }
        }
    }

    static void ValidateProfileName(string? name, string at, int index, Dictionary<string, int> firstIndexByName, List<string> errors)
    {
        if (string.IsNullOrEmpty(name))
        {
            errors.Add($"{at}.name: is required (lowercase letters, digits and hyphens, 1 to {MaxProfileNameLength} characters)");
        }
        else if (!ProfileName().IsMatch(name))
        {
            errors.Add($"{at}.name: must be lowercase letters, digits and hyphens, 1 to {MaxProfileNameLength} characters (was '{name}')");
        }
        else if (firstIndexByName.TryGetValue(name, out int first))
        {
            errors.Add($"{at}.name: '{name}' is used twice (first at profiles[{first}])");
        }
        else
        {
            firstIndexByName[name] = index;
        }
    }

    static void ValidateOutputFormats(IReadOnlyList<ImageFormat>? formats, string at, List<string> errors)
    {
        string use = $"use {string.Join(" or ", OutputFormats)}";
        if (formats is null || formats.Count == 0)
        {
            errors.Add($"{at}.formats: needs at least one format; {use}");
            return;
        }

        var seen = new HashSet<ImageFormat>();
        for (int j = 0; j < formats.Count; j++)
        {
            ImageFormat format = formats[j];
            if (!Enum.IsDefined(format))
            {
                errors.Add($"{at}.formats[{j}]: {Show(format)} is not a format; {use}");
            }
            else if (!OutputFormats.Contains(format))
            {
                errors.Add($"{at}.formats[{j}]: {format} cannot be an output format; {use}");
            }
            else if (!seen.Add(format))
            {
                errors.Add($"{at}.formats[{j}]: {format} is listed twice");
            }
        }
    }

    static void ValidateWatermark(ImagePipelineDefinition definition, Func<string, bool> fontExists, List<string> errors)
    {
        WatermarkSettings? watermark = definition.Watermark;
        if (watermark is null)
        {
            errors.Add("watermark: must be an object, not null");
            return;
        }

        bool hasText = !string.IsNullOrWhiteSpace(watermark.Text);
        bool hasLogo = !string.IsNullOrWhiteSpace(watermark.LogoBlob);
        bool anyWatermarked = definition.Profiles?.Any(p => p is { Watermark: true }) ?? false;
        if (anyWatermarked && !hasText && !hasLogo)
        {
            errors.Add("watermark: needs text or logoBlob (or set every profile's watermark to false)");
        }

        if (hasText && watermark.Text!.Length > MaxWatermarkTextLength)
        {
            errors.Add($"watermark.text: must be at most {MaxWatermarkTextLength} characters (was {watermark.Text.Length})");
        }

        if (hasLogo)
        {
            ValidateLogoBlob(watermark.LogoBlob!, definition.Containers, errors);
        }

        if (!Enum.IsDefined(watermark.Position))
        {
            errors.Add($"watermark.position: {Show(watermark.Position)} is not a position; use {string.Join(", ", Enum.GetNames<WatermarkPosition>())}");
        }

        if (!(watermark.Opacity is >= 0 and <= 1))
        {
            errors.Add($"watermark.opacity: must be between 0 and 1 (was {Show(watermark.Opacity)})");
        }

        if (!(watermark.Scale is > 0 and <= 1))
        {
            errors.Add($"watermark.scale: must be in (0, 1] (was {Show(watermark.Scale)})");
        }

        if (hasText)
        {
            ValidateFont(watermark.Font, fontExists, errors);
        }
    }

    static void ValidateLogoBlob(string logoBlob, ImageContainers? containers, List<string> errors)
    {
        int slash = logoBlob.IndexOf('/', StringComparison.Ordinal);
        string container = slash < 0 ? string.Empty : logoBlob[..slash];
        string name = slash < 0 ? string.Empty : logoBlob[(slash + 1)..];
        if (!IsContainerName(container) || name.Length is 0 or > 1024 || name.Split('/').Any(s => s is "" or "." or ".."))
        {
            errors.Add($"watermark.logoBlob: must be \"container/name\" with a valid container name (was '{logoBlob}')");
        }
        else if (containers is not null && string.Equals(container, containers.Input, StringComparison.Ordinal))
        {
            errors.Add($"watermark.logoBlob: must not be in the input container '{container}' (the pipeline would process it as an upload)");
        }
    }

    static void ValidateFont(string? font, Func<string, bool> fontExists, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(font))
        {
            errors.Add("watermark.font: is required to render the text (a file in assets/fonts, e.g. DejaVuSans.ttf)");
        }
        else if (font.IndexOfAny(['/', '\\']) >= 0 || font is "." or ".." || font.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            errors.Add($"watermark.font: must be a file name in assets/fonts, without folders (was '{font}')");
        }
        else if (!fontExists(font))
        {
            errors.Add($"watermark.font: '{font}' not found in assets/fonts");
        }
    }

    static void ValidateLimits(ImageLimits? limits, List<string> errors)
    {
        if (limits is null)
        {
            errors.Add("limits: must be an object, not null");
            return;
        }

        if (limits.MaxBytes <= 0)
        {
            errors.Add($"limits.maxBytes: must be positive (was {Show(limits.MaxBytes)})");
        }

        if (limits.MaxPixels <= 0)
        {
            errors.Add($"limits.maxPixels: must be positive (was {Show(limits.MaxPixels)})");
        }

        if (limits.AllowedFormats is null || limits.AllowedFormats.Count == 0)
        {
            errors.Add($"limits.allowedFormats: needs at least one format ({string.Join(", ", Enum.GetNames<ImageFormat>())})");
            return;
        }

        var seen = new HashSet<ImageFormat>();
        for (int i = 0; i < limits.AllowedFormats.Count; i++)
        {
            ImageFormat format = limits.AllowedFormats[i];
            if (!Enum.IsDefined(format))
            {
                errors.Add($"limits.allowedFormats[{i}]: {Show(format)} is not a format; use {string.Join(", ", Enum.GetNames<ImageFormat>())}");
            }
            else if (format == ImageFormat.Heif)
            {
                errors.Add($"limits.allowedFormats[{i}]: Heif cannot be accepted: its loader is blocked (HEIF/AVIF decoding is not enabled); use Jpeg, Png, WebP, Gif or Tiff");
            }
            else if (!seen.Add(format))
            {
                errors.Add($"limits.allowedFormats[{i}]: {format} is listed twice");
            }
        }
    }

    static void ValidateContainers(ImageContainers? containers, List<string> errors)
    {
        if (containers is null)
        {
            errors.Add("containers: must be an object, not null");
            return;
        }

        // The blob trigger's path is a constant in the Functions attribute, so the input container cannot be configured.
        if (containers.Input is not null && containers.Input != Triggers.BlobTriggerFunctions.ImagesInContainer)
        {
            errors.Add($"containers.input: must be '{Triggers.BlobTriggerFunctions.ImagesInContainer}', the container the blob trigger watches (was '{containers.Input}')");
        }

        CheckContainers(
            [("containers.input", containers.Input), ("containers.output", containers.Output), ("containers.rejected", containers.Rejected)],
            "input, output and rejected must be three different containers",
            errors);
        CheckSources(containers.Sources, [("containers.output", containers.Output), ("containers.rejected", containers.Rejected)], containers.Input, errors);
    }

    [GeneratedRegex("^[a-z0-9-]{1,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex ProfileName();
}

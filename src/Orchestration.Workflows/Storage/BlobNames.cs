using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Blobs;

namespace Orchestration.Workflows.Storage;

/// <summary>Deterministic derived blob names, kept within Azure's name limit; the one rule for names this app takes as input.</summary>
public static class BlobNames
{
    /// <summary>The name rule, worded for users (uploads, triggers and requests by name all apply it).</summary>
    public const string Rule = "1 to 1024 characters; '/'-separated segments, none empty, '.' or '..' (so no leading, trailing or double '/'); no backslash, no trailing '.', no control characters (C0, DEL, C1)";

    /// <summary>
    /// <c>{name}{suffix}</c>; when that would pass Azure's 1,024-character limit, <c>~long/{SHA-256 of the name}{suffix}</c>
    /// (the full name belongs inside the written file).
    /// </summary>
    public static string WithSuffix(string name, string suffix)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(suffix);
        return name.Length + suffix.Length <= BlobRef.MaxNameLength ? name + suffix : $"~long/{Hash(name)}{suffix}";
    }

    /// <summary>Lowercase hex SHA-256 of the name's UTF-8 bytes.</summary>
    public static string Hash(string name) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)));

    /// <summary>
    /// Why <paramref name="name"/> breaks <see cref="Rule"/>, or null when it keeps it. A request URL would resolve <c>.</c>,
    /// <c>..</c> and empty segments to another blob or container, read <c>\</c> as <c>/</c>, and drop a trailing dot; control
    /// characters end up in output names, manifests and logs. Such a name is data this app refuses to use, never a path.
    /// </summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "the name is empty";
        }

        if (name.Length > BlobRef.MaxNameLength)
        {
            return $"the name has {name.Length} characters, more than {BlobRef.MaxNameLength}";
        }

        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsControl(name[i]))
            {
                return string.Create(CultureInfo.InvariantCulture, $"the name holds control character U+{(int)name[i]:X4} at position {i + 1}");
            }

            if (name[i] == '\\')
            {
                return string.Create(CultureInfo.InvariantCulture, $"the name holds a backslash at position {i + 1}");
            }
        }

        if (UnresolvableSegment(name) is { } bad)
        {
            return bad.Length == 0 ? "the name has an empty segment (a leading, trailing or double '/')" : $"the name has a '{bad}' segment";
        }

        return name.EndsWith('.') ? "the name ends with '.'" : null;
    }

    /// <summary>
    /// The verdict's reason when <paramref name="name"/> breaks <see cref="Rule"/> (the name escaped, the rule it breaks,
    /// what to do), or null when it keeps it.
    /// </summary>
    public static string? Refusal(string? name) =>
        Problem(name) is { } problem ? $"Blob name '{ForLog(name)}' cannot be used: {problem}. Upload the file again under a name that keeps the rule." : null;

    /// <summary><c>~name/{SHA-256 of the name}.reason.json</c>: where a reason goes for a name that breaks the rule (the name itself is inside).</summary>
    public static string BadNameReasonName(string name) => $"~name/{Hash(name)}.reason.json";

    /// <summary>
    /// The name as it may appear in a log line or a message: every control character (and the backslash, so the result
    /// reads back unambiguously) written as <c>\uXXXX</c> / <c>\\</c>; no raw CR, LF, ESC reaches a log.
    /// </summary>
    public static string ForLog(string? name)
    {
        if (name is null)
        {
            return string.Empty;
        }

        if (!name.Any(c => char.IsControl(c) || c == '\\'))
        {
            return name;
        }

        var builder = new StringBuilder(name.Length + 16);
        foreach (char c in name)
        {
            if (c == '\\')
            {
                builder.Append(@"\\");
            }
            else if (char.IsControl(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// The client of exactly <paramref name="name"/> in <paramref name="container"/>, or an <see cref="ArgumentException"/>
    /// when the request URL would address anything else: the SDK builds it with <c>System.Uri</c>, which resolves
    /// <c>.</c>/<c>..</c> segments and drops a leading <c>/</c> (<c>uploads/../../etc/x</c> would reach container
    /// <c>etc</c>); everything else in a name (backslash, <c>%</c>, control characters) it escapes. Every activity that
    /// touches a blob by a name it was given opens it through here.
    /// </summary>
    public static BlobClient Open(this BlobContainerClient container, string name)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(name);
        if (UnresolvableSegment(name) is not null)
        {
            throw new ArgumentException(
                $"Blob name '{ForLog(name)}' in '{container.Name}' cannot be used: a request URL would resolve its empty, '.' or '..' segments to another blob or container.",
                nameof(name));
        }

        return container.GetBlobClient(name);
    }

    /// <summary>The first empty, <c>.</c> or <c>..</c> segment of <paramref name="name"/>, which a request URL would resolve away; null when none.</summary>
    static string? UnresolvableSegment(string name) => name.Split('/').FirstOrDefault(segment => segment is "" or "." or "..");
}

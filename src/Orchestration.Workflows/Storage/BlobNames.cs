using System.Security.Cryptography;
using System.Text;

namespace Orchestration.Workflows.Storage;

/// <summary>Deterministic derived blob names, kept within Azure's name limit.</summary>
public static class BlobNames
{
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
}

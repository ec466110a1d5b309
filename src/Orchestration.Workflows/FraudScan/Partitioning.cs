using System.Text;

namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// Which partition a symbol belongs to. Every process and machine must agree (the partitions are written by one
/// activity and scanned by others), so this is FNV-1a 32-bit over the symbol's UTF-8 bytes, mod the partition count —
/// never <see cref="string.GetHashCode()"/>, which is randomised per process. Changing it re-partitions stored data.
/// </summary>
public static class Partitioning
{
    private const uint FnvOffsetBasis = 2166136261;
    private const uint FnvPrime = 16777619;

    /// <summary>The partition, 0 to <paramref name="partitions"/> − 1, of <paramref name="symbol"/>.</summary>
    public static int Of(string symbol, int partitions)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        return (int)(Hash(symbol) % (uint)partitions);
    }

    /// <summary>FNV-1a 32-bit of <paramref name="utf8"/>.</summary>
    /// <summary>The same for a symbol given as its UTF-8 bytes (as <see cref="Of(string, int)"/> hashes them).</summary>
    public static int Of(ReadOnlySpan<byte> symbol, int partitions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        return (int)(Fnv1a(symbol) % (uint)partitions);
    }

    internal static uint Fnv1a(ReadOnlySpan<byte> utf8)
    {
        var hash = FnvOffsetBasis;
        foreach (var b in utf8)
        {
            hash = (hash ^ b) * FnvPrime;
        }

        return hash;
    }

    /// <summary>FNV-1a of the symbol's UTF-8 bytes; an ASCII symbol's chars are its bytes, so it needs no encoding.</summary>
    private static uint Hash(string symbol)
    {
        var hash = FnvOffsetBasis;
        foreach (var c in symbol)
        {
            if (c >= 0x80)
            {
                return Fnv1a(Encoding.UTF8.GetBytes(symbol));
            }

            hash = (hash ^ c) * FnvPrime;
        }

        return hash;
    }
}

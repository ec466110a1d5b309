using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// UTF-8 values, one after the other in one growing buffer, each named by the index it was added at (no string, no object
/// per value): the values of <see cref="Utf8Keys"/>.
/// </summary>
internal sealed class Utf8List
{
    private byte[] _bytes;
    private int[] _starts;

    /// <param name="capacity">Bytes to start with; the buffers double as needed (a symbol may have one event or millions).</param>
    public Utf8List(int capacity = 64)
    {
        _bytes = new byte[capacity];
        _starts = new int[Math.Max(4, capacity / 8) + 1];
    }

    public int Count { get; private set; }

    public ReadOnlySpan<byte> this[int index] => _bytes.AsSpan(_starts[index], _starts[index + 1] - _starts[index]);

    public int Add(ReadOnlySpan<byte> value)
    {
        int start = _starts[Count];
        if (_bytes.Length - start < value.Length)
        {
            Array.Resize(ref _bytes, (int)Math.Max(BitOperations.RoundUpToPowerOf2((uint)(start + value.Length)), 2u * (uint)_bytes.Length));
        }

        if (Count + 2 > _starts.Length)
        {
            Array.Resize(ref _starts, _starts.Length * 2);
        }

        value.CopyTo(_bytes.AsSpan(start));
        _starts[Count + 1] = start + value.Length;
        return Count++;
    }

    public string GetString(int index) => Encoding.UTF8.GetString(this[index]);

    /// <summary><paramref name="value"/> as UTF-8: into <paramref name="buffer"/> when it fits, else into a new array.</summary>
    public static ReadOnlySpan<byte> Utf8(string value, Span<byte> buffer) =>
        Encoding.UTF8.GetMaxByteCount(value.Length) <= buffer.Length
            ? buffer[..Encoding.UTF8.GetBytes(value, buffer)]
            : Encoding.UTF8.GetBytes(value);
}

/// <summary>
/// Distinct UTF-8 values → small dense keys (0, 1, 2, … in order of first appearance): equal values, equal keys. What lets
/// the rules match orders, executions and accounts by comparing and indexing integers instead of hashing strings — each
/// value is hashed once, when it is read. Open addressing; the values live in a <see cref="Utf8List"/>.
/// </summary>
/// <remarks>
/// Looked up for several fields of every event while the input streams through the cache, so the table is mostly
/// cold and what counts is cache misses. A slot holds the hash, the key and — for a value of up to 7 bytes, which ids
/// and names nearly always are — the value itself, so a hit costs one miss instead of four (slot, then key's hash,
/// start and bytes).
/// </remarks>
internal sealed class Utf8Keys
{
    private const int MaxInlineBytes = 7;

    private readonly Utf8List _values;
    private Slot[] _slots;
    private int _shift;

    public Utf8Keys(int capacity = 8)
    {
        int slots = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(8, capacity * 2));
        _values = new Utf8List(capacity * 8);
        _slots = new Slot[slots];
        _shift = 32 - BitOperations.Log2((uint)slots);
    }

    public int Count => _values.Count;

    public ReadOnlySpan<byte> this[int key] => _values[key];

    public string GetString(int key) => _values.GetString(key);

    /// <summary>The key of <paramref name="value"/>, given the next key when it is new.</summary>
    public int KeyOf(ReadOnlySpan<byte> value)
    {
        ulong inline = Inline(value);
        uint hash = inline != 0 ? Mix(inline) : Hash(value);
        int key = Find(value, inline, hash, out int slot);
        return key >= 0 ? key : Add(slot, inline, hash, value);
    }

    /// <summary>The key of a value given as a string: for events that arrive as <see cref="MarketEvent"/>s.</summary>
    public int KeyOf(string value) => KeyOf(Utf8List.Utf8(value, stackalloc byte[256]));

    /// <summary>The key of <paramref name="value"/>, or −1 when it has none (nothing is added).</summary>
    public int IndexOf(ReadOnlySpan<byte> value)
    {
        ulong inline = Inline(value);
        return Find(value, inline, inline != 0 ? Mix(inline) : Hash(value), out _);
    }

    /// <summary>
    /// A hash of the whole value, eight bytes at a time: ids and names are short, so this is one to three multiplies
    /// (each step multiplies by an odd constant and folds the high bits down, so every byte reaches the slot bits).
    /// </summary>
    public static uint Hash(ReadOnlySpan<byte> value)
    {
        ulong hash = (ulong)value.Length * Odd;
        while (value.Length >= 8)
        {
            hash = (hash ^ BinaryPrimitives.ReadUInt64LittleEndian(value)) * Odd;
            hash ^= hash >> 29;
            value = value[8..];
        }

        return Mix(hash ^ Tail(value));
    }

    private const ulong Odd = 0x9E3779B97F4A7C15;

    private static uint Mix(ulong value)
    {
        ulong hash = value * Odd;
        return (uint)(hash ^ (hash >> 32));
    }

    /// <summary>A value of 1–7 bytes as one number: its bytes, and its length + 1 in the top byte (never 0); else 0.</summary>
    private static ulong Inline(ReadOnlySpan<byte> value) =>
        value.Length is > 0 and <= MaxInlineBytes ? Tail(value) | ((ulong)(value.Length + 1) << 56) : 0;

    /// <summary>The last 0–7 bytes of a value (all of a short one), little-endian, read in at most three loads.</summary>
    private static ulong Tail(ReadOnlySpan<byte> value)
    {
        int length = value.Length & 7;
        ReadOnlySpan<byte> tail = value[^length..];
        ulong result = 0;
        int shift = 0;
        if ((length & 4) != 0)
        {
            result = BinaryPrimitives.ReadUInt32LittleEndian(tail);
            tail = tail[4..];
            shift = 32;
        }

        if ((length & 2) != 0)
        {
            result |= (ulong)BinaryPrimitives.ReadUInt16LittleEndian(tail) << shift;
            tail = tail[2..];
            shift += 16;
        }

        if ((length & 1) != 0)
        {
            result |= (ulong)tail[0] << shift;
        }

        return result;
    }

    /// <summary>The value's key, or −1 and the empty slot where it would go.</summary>
    private int Find(ReadOnlySpan<byte> value, ulong inline, uint hash, out int slot)
    {
        int mask = _slots.Length - 1;
        for (slot = (int)((hash * 2654435769u) >> _shift); ; slot = (slot + 1) & mask)
        {
            ref Slot s = ref _slots[slot];
            if (s.Key == 0)
            {
                return -1;
            }

            if (s.Hash == hash && s.Inline == inline && (inline != 0 || _values[s.Key - 1].SequenceEqual(value)))
            {
                return s.Key - 1;
            }
        }
    }

    private int Add(int slot, ulong inline, uint hash, ReadOnlySpan<byte> value)
    {
        int key = _values.Add(value);
        _slots[slot] = new Slot { Inline = inline, Hash = hash, Key = key + 1 };
        if (_values.Count * 2 > _slots.Length)
        {
            Grow();
        }

        return key;
    }

    private void Grow()
    {
        Slot[] old = _slots;
        _slots = new Slot[old.Length * 2];
        _shift--;
        int mask = _slots.Length - 1;
        foreach (Slot s in old)
        {
            if (s.Key == 0)
            {
                continue;
            }

            int i = (int)((s.Hash * 2654435769u) >> _shift);
            while (_slots[i].Key != 0)
            {
                i = (i + 1) & mask;
            }

            _slots[i] = s;
        }
    }

    /// <summary>16 bytes: the value when it is short (see <see cref="Inline"/>), its hash, and its key + 1 (0: empty).</summary>
    private struct Slot
    {
        public ulong Inline;
        public uint Hash;
        public int Key;
    }
}

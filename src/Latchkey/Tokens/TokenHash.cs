using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Latchkey.Tokens;

/// <summary>A 256-bit keyed hash of a token, usable as a dictionary key without allocating.</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct TokenHash : IEquatable<TokenHash>
{
    public const int Size = 32;

    private readonly ulong _a, _b, _c, _d;

    public TokenHash(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException("A token hash is 32 bytes.", nameof(bytes));
        }

        _a = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        _b = BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
        _c = BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]);
        _d = BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]);
    }

    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, _a);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), _b);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(16), _c);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(24), _d);
        return bytes;
    }

    // Equality is only ever used after the lookup; the comparison that decides validity is TokenHasher.Matches.
    public bool Equals(TokenHash other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

    public override bool Equals(object? obj) => obj is TokenHash other && Equals(other);

    // The hash is uniformly random under a secret key, so any 64 bits of it are a good hash code.
    public override int GetHashCode() => (int)_a ^ (int)(_a >> 32);

    public static bool operator ==(TokenHash left, TokenHash right) => left.Equals(right);

    public static bool operator !=(TokenHash left, TokenHash right) => !left.Equals(right);
}

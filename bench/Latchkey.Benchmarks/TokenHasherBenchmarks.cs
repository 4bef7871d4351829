using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Latchkey.Tokens;

namespace Latchkey.Benchmarks;

/// <summary>Step 2: HMAC-SHA256 under the key the token names, and the constant-time comparison.</summary>
public class TokenHasherBenchmarks
{
    private TokenHasher _hasher = null!;
    private ParsedToken _parsed;
    private TokenHash _hash;
    private TokenHash _other;

    [GlobalSetup]
    public void Setup()
    {
        _hasher = new TokenHasher(new TokenKeyRing("k1", new Dictionary<string, byte[]> { ["k1"] = RandomNumberGenerator.GetBytes(32) }));
        var token = TokenFormat.Generate("lk_", "k1");
        if (!TokenFormat.TryParse(token, out _parsed) || !_hasher.TryHash(_parsed, out _hash))
        {
            throw new InvalidOperationException("A generated token did not parse or hash.");
        }

        _other = _hasher.HashNew(TokenFormat.Generate("lk_", "k1"));
    }

    [Benchmark(Baseline = true)]
    public TokenHash TryHash()
    {
        _hasher.TryHash(_parsed, out var hash);
        return hash;
    }

    [Benchmark]
    public bool Matches_constant_time() => TokenHasher.Matches(_hash, _other);
}

using BenchmarkDotNet.Attributes;

namespace Latchkey.Benchmarks;

/// <summary>
/// The whole per-request check against a real SQLite file seeded with <see cref="StoredTokens"/> tokens. Hot: the
/// token is in the validated-token cache (no I/O). Cold: each batch clears the cache and then validates
/// <see cref="Batch"/> distinct stored tokens, so every one goes to the store (the clear is amortised over the batch).
/// </summary>
public class TokenValidatorBenchmarks
{
    private const int Batch = 1_000;

    private BenchHost _host = null!;
    private TokenValidator _validator = null!;
    private TokenCache _cache = null!;
    private string[] _tokens = [];
    private string _hot = "";
    private int _next;

    [Params(1_000_000, 100_000, 10_000)]
    public int StoredTokens { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var folder = SeededDataset.GetOrCreate(StoredTokens);
        _host = BenchHost.Open(folder);
        _validator = _host.Validator;
        _cache = _host.Cache;
        _tokens = TokenSeeder.ReadSample(folder);
        _hot = _tokens[0];
        if (!_validator.ValidateAsync(_hot, TokenUse.By("127.0.0.1"), CancellationToken.None).AsTask().GetAwaiter().GetResult().Succeeded)
        {
            throw new InvalidOperationException("The seeded token was refused.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _host.Dispose();

    [Benchmark]
    public ValueTask<TokenValidationResult> Validate_hot_cached() => _validator.ValidateAsync(_hot, TokenUse.By("127.0.0.1"), CancellationToken.None);

    [Benchmark(OperationsPerInvoke = Batch)]
    public async Task Validate_cold_store_lookup()
    {
        _cache.Clear();
        for (var i = 0; i < Batch; i++)
        {
            var token = _tokens[_next++ % _tokens.Length];
            var result = await _validator.ValidateAsync(token, TokenUse.By("127.0.0.1"), CancellationToken.None);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"A seeded token was refused ({result.Failure}).");
            }
        }
    }
}

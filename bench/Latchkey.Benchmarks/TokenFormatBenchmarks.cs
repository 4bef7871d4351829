using BenchmarkDotNet.Attributes;
using Latchkey.Tokens;

namespace Latchkey.Benchmarks;

/// <summary>Step 1 of every request: shape and checksum, no I/O.</summary>
public class TokenFormatBenchmarks
{
    private string _token = "";
    private string _typo = "";
    private string _sanctum = "";

    [GlobalSetup]
    public void Setup()
    {
        _token = TokenFormat.Generate("lk_", "k1");
        _typo = _token[..10] + (_token[10] == 'a' ? 'b' : 'a') + _token[11..];
        _sanctum = "12345|" + _token;
    }

    [Benchmark(Baseline = true)]
    public bool TryParse_valid() => TokenFormat.TryParse(_token, out _);

    [Benchmark]
    public bool TryParse_typo_fails_the_checksum() => TokenFormat.TryParse(_typo, out _);

    [Benchmark]
    public bool TryParse_sanctum_id_pipe_token() => TokenFormat.TryParse(_sanctum, out _);

    [Benchmark]
    public string Generate() => TokenFormat.Generate("lk_", "k1");
}

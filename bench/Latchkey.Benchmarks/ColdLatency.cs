using System.Diagnostics;
using System.Globalization;

namespace Latchkey.Benchmarks;

/// <summary>
/// Cold validation latency, one request at a time: every token is distinct and absent from the validated-token
/// cache, so each <see cref="TokenValidator.ValidateAsync"/> parses, hashes, looks the hash up in the SQLite
/// store and builds the cache entry. The first <c>warmup</c> sample tokens warm the JIT and connection pool
/// and are not measured; the cache is then cleared.
/// </summary>
internal static class ColdLatency
{
    public static async Task<int> RunAsync(string dataDirectory, int count, int warmup, TextWriter output, CancellationToken cancellationToken)
    {
        var sample = TokenSeeder.ReadSample(dataDirectory);
        if (sample.Length < warmup + count)
        {
            throw new InvalidOperationException($"{TokenSeeder.SampleFile} holds {sample.Length} tokens; {warmup} + {count} are needed (seed with a larger --sample).");
        }

        using var host = BenchHost.Open(dataDirectory);
        var validator = host.Validator;
        foreach (var token in sample.Take(warmup))
        {
            await ValidateAsync(validator, token, cancellationToken);
        }

        host.Cache.Clear();
        var ticks = new long[count];
        for (var i = 0; i < count; i++)
        {
            var token = sample[warmup + i];
            var start = Stopwatch.GetTimestamp();
            await ValidateAsync(validator, token, cancellationToken);
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }

        Array.Sort(ticks);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cold validation: n={count} mean={Micros(ticks.Average())} p50={Micros(Percentile(ticks, 50))} p90={Micros(Percentile(ticks, 90))} p99={Micros(Percentile(ticks, 99))} p99.9={Micros(Percentile(ticks, 99.9))} max={Micros(ticks[^1])} (µs)"));
        return 0;
    }

    private static async Task ValidateAsync(TokenValidator validator, string token, CancellationToken cancellationToken)
    {
        var result = await validator.ValidateAsync(token, "127.0.0.1", cancellationToken);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"A seeded token was refused ({result.Failure}): is this the folder it was seeded into?");
        }
    }

    // Nearest-rank percentile.
    private static double Percentile(long[] sorted, double percent)
        => sorted[Math.Clamp((int)Math.Ceiling(percent / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static string Micros(double ticks) => (ticks * 1_000_000 / Stopwatch.Frequency).ToString("F1", CultureInfo.InvariantCulture);
}

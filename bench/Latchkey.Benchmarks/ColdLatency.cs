using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Latchkey.Benchmarks;

/// <summary>
/// Cold validation latency, one request at a time: every token is distinct and absent from the validated-token
/// cache, so each <see cref="TokenValidator.ValidateAsync"/> parses, hashes, looks the hash up in the store (the
/// folder's SQLite file, or PostgreSQL when a connection string is given) and builds the cache entry. The first <c>warmup</c> sample tokens warm the JIT and connection pool
/// and are not measured; the cache is then cleared.
/// </summary>
/// <remarks>
/// Besides wall-clock time, each validation's CPU time on its thread is reported (Linux): on a machine shared
/// with other work, a wall-clock tail of a few milliseconds is the scheduler's time slice, not this code. The
/// SQLite calls complete synchronously, so a validation runs on one thread from start to end; PostgreSQL's do not, so
/// there the CPU time is only the part after the last wait.
/// </remarks>
internal static partial class ColdLatency
{
    private const int ThreadCpuClock = 3; // CLOCK_THREAD_CPUTIME_ID

    public static async Task<int> RunAsync(string dataDirectory, int count, int warmup, string? postgres, TextWriter output, CancellationToken cancellationToken)
    {
        var sample = TokenSeeder.ReadSample(dataDirectory);
        if (sample.Length < warmup + count)
        {
            throw new InvalidOperationException($"{TokenSeeder.SampleFile} holds {sample.Length} tokens; {warmup} + {count} are needed (seed with a larger --sample).");
        }

        using var host = BenchHost.Open(dataDirectory, postgres: postgres);
        var validator = host.Validator;
        foreach (var token in sample.Take(warmup))
        {
            await ValidateAsync(validator, token, cancellationToken);
        }

        host.Cache.Clear();
        var ticks = new long[count];
        var cpuNanoseconds = new long[count];
        for (var i = 0; i < count; i++)
        {
            var token = sample[warmup + i];
            var cpu = ThreadCpuNanoseconds();
            var start = Stopwatch.GetTimestamp();
            await ValidateAsync(validator, token, cancellationToken);
            ticks[i] = Stopwatch.GetTimestamp() - start;
            cpuNanoseconds[i] = ThreadCpuNanoseconds() - cpu;
        }

        Array.Sort(ticks);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cold validation: n={count} mean={Micros(ticks.Average())} p50={Micros(Percentile(ticks, 50))} p90={Micros(Percentile(ticks, 90))} p99={Micros(Percentile(ticks, 99))} p99.9={Micros(Percentile(ticks, 99.9))} max={Micros(ticks[^1])} (µs)"));
        if (OperatingSystem.IsLinux())
        {
            Array.Sort(cpuNanoseconds);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"cold validation cpu time: p50={Percentile(cpuNanoseconds, 50) / 1000:F1} p90={Percentile(cpuNanoseconds, 90) / 1000:F1} p99={Percentile(cpuNanoseconds, 99) / 1000:F1} p99.9={Percentile(cpuNanoseconds, 99.9) / 1000:F1} max={cpuNanoseconds[^1] / 1000.0:F1} (µs)"));
        }

        return 0;
    }

    private static long ThreadCpuNanoseconds()
        => OperatingSystem.IsLinux() && ClockGetTime(ThreadCpuClock, out var now) == 0 ? (now.Seconds * 1_000_000_000) + now.Nanoseconds : 0;

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out Timespec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    private static async Task ValidateAsync(TokenValidator validator, string token, CancellationToken cancellationToken)
    {
        var result = await validator.ValidateAsync(token, TokenUse.By("127.0.0.1"), cancellationToken);
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

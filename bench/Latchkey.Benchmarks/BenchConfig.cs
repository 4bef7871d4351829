using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;

namespace Latchkey.Benchmarks;

/// <summary>BenchmarkDotNet's defaults, and allocations reported for every benchmark.</summary>
internal sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        Add(DefaultConfig.Instance);
        AddDiagnoser(MemoryDiagnoser.Default);
    }

    /// <summary>
    /// Benchmarks run in this process unless told otherwise: BenchmarkDotNet's default toolchain generates and
    /// builds a project per run, which central package management and the offline package mirror make slow and
    /// fragile, and nothing measured here depends on process-wide settings.
    /// </summary>
    public static string[] InProcessByDefault(string[] args)
        => args.Contains("--inProcess") || args.Contains("-i") || args.Contains("--runtimes") || args.Contains("-r") ? args : [.. args, "--inProcess"];
}

using System.Globalization;
using BenchmarkDotNet.Running;
using Latchkey.Benchmarks;

// dotnet run -c Release --project bench/Latchkey.Benchmarks -- seed --data DIR [--count N] [--sample N]
// dotnet run -c Release --project bench/Latchkey.Benchmarks -- cold --data DIR [--count N] [--warmup N] [--postgres CONNECTION]
// dotnet run -c Release --project bench/Latchkey.Benchmarks -- propagation --a URL --b URL --credential SESSION [--count N]
// dotnet run -c Release --project bench/Latchkey.Benchmarks -- [BenchmarkDotNet arguments, e.g. --filter '*']
switch (args.FirstOrDefault())
{
    case "seed":
        await TokenSeeder.SeedAsync(Required(args, "--data"), Number(args, "--count", 1_000_000), Number(args, "--sample", 11_000), Console.Out, CancellationToken.None);
        return 0;
    case "cold":
        return await ColdLatency.RunAsync(Required(args, "--data"), Number(args, "--count", 10_000), Number(args, "--warmup", 1_000), Option(args, "--postgres"), Console.Out, CancellationToken.None);
    case "propagation":
        return await Propagation.RunAsync(new Uri(Required(args, "--a")), new Uri(Required(args, "--b")), Required(args, "--credential"), Number(args, "--count", 1_000), Console.Out, CancellationToken.None);
    default:
        BenchmarkSwitcher.FromAssembly(typeof(BenchConfig).Assembly).Run(BenchConfig.InProcessByDefault(args), new BenchConfig());
        return 0;
}

static string? Option(string[] args, string name)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}

static string Required(string[] args, string name)
    => Option(args, name) ?? throw new ArgumentException($"{args[0]} needs {name} <value>.");

static int Number(string[] args, string name, int fallback)
    => Option(args, name) is { } value ? int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture) : fallback;

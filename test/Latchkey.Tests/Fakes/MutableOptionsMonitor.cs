using Microsoft.Extensions.Options;

namespace Latchkey.Tests.Fakes;

/// <summary>Options whose value a test sets, as a reloaded configuration would.</summary>
public sealed class MutableOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue { get; set; } = value;

    public T Get(string? name) => CurrentValue;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}

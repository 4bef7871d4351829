using System.Diagnostics.CodeAnalysis;

namespace Latchkey;

/// <summary>The outcome of an engine operation: a value or a <see cref="TokenError"/>, never both.</summary>
public readonly struct Result<T>
{
    private Result(T? value, TokenError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public TokenError? Error { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Error is null;

    public static Result<T> Ok(T value) => new(value, null);

    public static Result<T> Fail(TokenError error) => new(default, error);

    public static implicit operator Result<T>(TokenError error) => Fail(error);

    public static implicit operator Result<T>(T value) => Ok(value);
}

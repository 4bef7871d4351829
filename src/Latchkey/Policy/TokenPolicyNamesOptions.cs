namespace Latchkey.Policy;

/// <summary>The names of the policies registered with <c>AddLatchkeyTokenPolicy</c>, so they can be listed (<see cref="TokenPolicyProvider.Names"/>).</summary>
public sealed class TokenPolicyNamesOptions
{
    public IList<string> Names { get; } = [];
}

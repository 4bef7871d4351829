namespace Latchkey.AspNetCore;

/// <summary>
/// The scheme Latchkey's policies authenticate with: the one named in the first <c>AddLatchkey</c> call. Endpoint
/// conventions read it from the application's services, so <c>RequireScope</c> follows a custom scheme name.
/// </summary>
internal sealed class LatchkeyScheme
{
    public LatchkeyScheme(string name) => Name = name;

    public string Name { get; }
}

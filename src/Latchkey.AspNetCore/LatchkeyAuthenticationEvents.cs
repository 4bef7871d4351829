namespace Latchkey.AspNetCore;

/// <summary>
/// Hooks into the Latchkey handler, like <c>JwtBearerEvents</c>: set the delegates, or derive and name the type in
/// <see cref="Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions.EventsType"/> (hence not sealed).
/// Left alone, the handler behaves as documented in <see cref="LatchkeyAuthenticationOptions"/>.
/// </summary>
public class LatchkeyAuthenticationEvents
{
    /// <summary>
    /// Before the handler looks for a credential: set <see cref="LatchkeyMessageReceivedContext.Token"/> to supply one
    /// from anywhere (the handler then reads nothing itself), or decide the result (<c>NoResult()</c>, <c>Fail()</c>).
    /// </summary>
    public Func<LatchkeyMessageReceivedContext, Task> OnMessageReceived { get; set; } = _ => Task.CompletedTask;

    /// <summary>
    /// Before a 401 is written: change <see cref="LatchkeyChallengeContext.WwwAuthenticate"/> (e.g. to
    /// <c>Basic realm="…"</c>, which Git needs before it sends credentials), or call
    /// <see cref="LatchkeyChallengeContext.HandleResponse"/> and write the response yourself.
    /// </summary>
    public Func<LatchkeyChallengeContext, Task> OnChallenge { get; set; } = _ => Task.CompletedTask;

    public virtual Task MessageReceived(LatchkeyMessageReceivedContext context) => OnMessageReceived(context);

    public virtual Task Challenge(LatchkeyChallengeContext context) => OnChallenge(context);
}

namespace Latchkey.Server.Users;

/// <summary>Failed sign-in limits, bound from <c>Latchkey:SignIn</c>.</summary>
internal sealed class SignInOptions
{
    public const string SectionName = "Latchkey:SignIn";

    /// <summary>Failed attempts one client address may make per <see cref="Window"/>.</summary>
    public int MaxFailures { get; set; } = 10;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);
}

namespace Latchkey.AspNetCore;

/// <summary>Failed sign-in limits, bound from <c>Latchkey:SignIn</c>.</summary>
public sealed class SignInOptions
{
    public const string SectionName = "Latchkey:SignIn";

    /// <summary>Failed attempts at one username from one client address per <see cref="Window"/>.</summary>
    public int MaxFailures { get; set; } = 10;

    /// <summary>
    /// Failed attempts from one client address per <see cref="Window"/>, whatever the usernames: looser, so people
    /// behind one NAT are not locked out by each other's typos, but one address cannot try a password on every
    /// username either.
    /// </summary>
    public int MaxFailuresPerAddress { get; set; } = 50;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);

    public IEnumerable<string> Validate()
    {
        if (MaxFailures < 1)
        {
            yield return $"{SectionName}:MaxFailures must be at least 1.";
        }

        if (MaxFailuresPerAddress < Math.Max(1, MaxFailures))
        {
            yield return $"{SectionName}:MaxFailuresPerAddress must be at least {SectionName}:MaxFailures (it counts every username from one address).";
        }

        if (Window <= TimeSpan.Zero)
        {
            yield return $"{SectionName}:Window must be positive.";
        }
    }
}

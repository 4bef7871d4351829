using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.GitLab;

/// <summary>
/// The live server for the real GitLab clients, writing last-used records every quarter second (instead of every
/// ten) so a client filtering on last use sees its own request without waiting.
/// </summary>
public sealed class GitLabLiveServerFactory : LiveServerFactory
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Latchkey:UsageFlushInterval"] = "00:00:00.250",
    };
}

using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.ForwardAuth;

/// <summary>The server on real Kestrel (raw request targets, as a proxy sends them) with a rule that refuses <c>/admin/</c>.</summary>
public sealed class ForwardAuthLiveServer : LiveServerFactory
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Latchkey:ForwardAuth:Rules:0:PathPrefix"] = "/admin/",
        ["Latchkey:ForwardAuth:Rules:0:Deny"] = "true",
    };
}

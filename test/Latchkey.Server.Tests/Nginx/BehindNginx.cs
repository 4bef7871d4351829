using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Nginx;

/// <summary>
/// One nginx (both shipped sites), fcgiwrap and Latchkey shared by the classes that test through nginx, since
/// starting them costs more than those tests. The classes run one after another; every test makes its own users,
/// tokens and repositories.
/// </summary>
[CollectionDefinition(Name)]
[LongRunning]
public sealed class BehindNginx : ICollectionFixture<NginxServer>
{
    public const string Name = "Behind nginx";
}

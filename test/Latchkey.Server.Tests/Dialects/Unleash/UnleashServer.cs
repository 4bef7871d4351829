using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.Unleash;

/// <summary>
/// One server shared by the test classes of the Unleash dialect, since starting a server per class
/// cost more than their tests. The classes run one after another, and every test makes its own users and names,
/// so none needs an empty database.
/// </summary>
[CollectionDefinition(Name)]
public sealed class UnleashServer : ICollectionFixture<LatchkeyServerFactory>
{
    public const string Name = "Unleash server";
}

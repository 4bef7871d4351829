using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Tokens;

/// <summary>
/// One server shared by the test classes of the native token API, since starting a server per class
/// cost more than their tests. The classes run one after another, and every test makes its own users and names,
/// so none needs an empty database.
/// </summary>
[CollectionDefinition(Name)]
public sealed class NativeTokensServer : ICollectionFixture<LatchkeyServerFactory>
{
    public const string Name = "NativeTokens server";
}

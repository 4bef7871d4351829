using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.GitLab;

/// <summary>
/// One server shared by the test classes of the GitLab dialect, since starting a server per class
/// cost more than their tests. The classes run one after another, and every test makes its own users and names,
/// so none needs an empty database.
/// </summary>
[CollectionDefinition(Name)]
public sealed class GitLabServer : ICollectionFixture<LatchkeyServerFactory>
{
    public const string Name = "GitLab server";
}

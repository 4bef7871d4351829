namespace Latchkey.Browser.Tests.Infrastructure;

/// <summary>Every browser test class shares one server and one browser; each test uses its own user and browser context.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}

using Latchkey.Server.Tests.Infrastructure;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestCollectionOrderer("Latchkey.Server.Tests.Infrastructure.LongRunningFirstOrderer", "Latchkey.Server.Tests")]

namespace Latchkey.Server.Tests.Infrastructure;

/// <summary>
/// Runs the <see cref="LongRunningAttribute"/> classes first. xUnit runs as many classes at once as there are
/// cores; a class of real process starts (StartupTests alone is close to a minute on two cores) that happens to
/// start last runs on by itself while the other cores sit idle, and the suite takes that much longer.
/// </summary>
public sealed class LongRunningFirstOrderer : ITestCollectionOrderer
{
    // xUnit's name for the collection it makes of a class that names none.
    private const string ClassCollectionPrefix = "Test collection for ";

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections)
        => testCollections.OrderBy(collection => IsLongRunning(collection) ? 0 : 1);

    private static bool IsLongRunning(ITestCollection collection)
    {
        var type = collection.CollectionDefinition
            ?? (collection.DisplayName.StartsWith(ClassCollectionPrefix, StringComparison.Ordinal)
                ? collection.TestAssembly.Assembly.GetType(collection.DisplayName[ClassCollectionPrefix.Length..])
                : null);
        return type?.ToRuntimeType()?.IsDefined(typeof(LongRunningAttribute), inherit: true) == true;
    }
}

namespace Latchkey.Stores;

/// <summary>Brings the store's schema up to date; the host calls it once at start-up, before serving.</summary>
public interface IStoreMigrator
{
    Task MigrateAsync(CancellationToken cancellationToken);
}

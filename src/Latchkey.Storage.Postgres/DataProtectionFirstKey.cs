using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace Latchkey.Storage.Postgres;

/// <summary>
/// Creates the key ring's first key while the migrator holds its lock, if no usable key exists. Left to Data
/// Protection, two nodes starting together on an empty table would each create a key of their own and keep a key
/// ring without the other's for up to a day (it refreshes its cache every 24 hours), unable to read what the other
/// protected. Later keys are no such race: Data Protection creates each successor two days before it takes over,
/// which every node learns within a day.
/// </summary>
internal sealed class DataProtectionFirstKey(IKeyManager keys, IOptions<KeyManagementOptions> options)
{
    public void Ensure()
    {
        // Data Protection's own clock, whatever TimeProvider the host runs on: it judges the keys by this one.
        var now = DateTimeOffset.UtcNow;
        if (!keys.GetAllKeys().Any(key => !key.IsRevoked && key.ActivationDate <= now && key.ExpirationDate > now))
        {
            keys.CreateNewKey(now, now + options.Value.NewKeyLifetime);
        }
    }
}

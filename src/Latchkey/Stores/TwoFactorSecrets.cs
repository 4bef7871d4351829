namespace Latchkey.Stores;

/// <summary>
/// A user's authenticator keys as stored, each encrypted by the engine's <see cref="Users.ISecretProtector"/>: the
/// confirmed one, one waiting for its first code, and the last time step a code was accepted for (replay protection).
/// </summary>
public sealed record TwoFactorSecrets(string? Secret, string? PendingSecret, long? LastStep)
{
    public override string ToString() => $"TwoFactorSecrets {{ Secret = {(Secret is null ? "none" : "***")}, PendingSecret = {(PendingSecret is null ? "none" : "***")}, LastStep = {LastStep} }}";
}

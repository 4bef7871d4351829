namespace Latchkey.Server.Api;

/// <summary>Ten single-use recovery codes, shown in this response only.</summary>
internal sealed record RecoveryCodesResponse(IReadOnlyList<string> RecoveryCodes)
{
    public override string ToString() => "RecoveryCodesResponse { *** }";
}

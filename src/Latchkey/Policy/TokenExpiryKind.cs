namespace Latchkey.Policy;

public enum TokenExpiryKind
{
    Default,
    Never,
    At,
}

namespace Latchkey.Changes;

/// <summary>What a node keeps about tokens (its validated-token cache) and must forget when they change.</summary>
public interface ITokenChangeSubscriber
{
    /// <summary>A change was committed; delivered at least once, so handling it twice must be harmless.</summary>
    void OnChanged(TokenChange change);

    /// <summary>The feed may have missed changes (it lost its source or restarted): forget everything.</summary>
    void OnReset();
}

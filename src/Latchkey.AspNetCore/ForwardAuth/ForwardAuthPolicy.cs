namespace Latchkey.AspNetCore.ForwardAuth;

/// <summary>What a matched request needs: the shape of <c>Latchkey:ForwardAuth:Default</c>, and of every rule.</summary>
public class ForwardAuthPolicy
{
    /// <summary>Scopes the credential must grant, all of them (implications followed); empty: any valid credential.</summary>
    public IList<string> Scopes { get; } = [];

    /// <summary><c>Bearer</c> (the default) or <c>Basic</c> (browsers and <c>git</c> then ask for a user name and password).</summary>
    public string? Challenge { get; set; }

    /// <summary>Allowed without any credential (e.g. public assets); no identity headers are sent upstream.</summary>
    public bool Anonymous { get; set; }

    /// <summary>Always refused with 403, whatever the credential.</summary>
    public bool Deny { get; set; }
}

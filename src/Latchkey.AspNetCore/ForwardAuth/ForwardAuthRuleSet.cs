using Microsoft.Extensions.Options;

namespace Latchkey.AspNetCore.ForwardAuth;

/// <summary>
/// <c>Latchkey:ForwardAuth</c> compiled once (regular expressions, challenge texts) and matched per request without
/// allocating: the Git rules first, then the configured rules in order (first match wins), then the default.
/// </summary>
internal sealed class ForwardAuthRuleSet
{
    public const string ReadRepository = "read_repository";
    public const string WriteRepository = "write_repository";

    private const string InfoRefs = ".git/info/refs";
    private const string UploadPack = ".git/git-upload-pack";
    private const string ReceivePack = ".git/git-receive-pack";

    private readonly bool _git;
    private readonly ForwardAuthRequirement _gitRead;
    private readonly ForwardAuthRequirement _gitWrite;
    private readonly ForwardAuthRuleMatcher[] _rules;
    private readonly ForwardAuthRequirement _default;

    public ForwardAuthRuleSet(IOptions<LatchkeyForwardAuthOptions> options)
    {
        var o = options.Value;
        _git = o.Git.Enabled;
        var gitRead = new ForwardAuthPolicy { Challenge = ForwardAuthChallenges.Basic };
        gitRead.Scopes.Add(ReadRepository);
        var gitWrite = new ForwardAuthPolicy { Challenge = ForwardAuthChallenges.Basic };
        gitWrite.Scopes.Add(WriteRepository);
        _gitRead = new ForwardAuthRequirement("git (read)", gitRead, o.Realm, git: true);
        _gitWrite = new ForwardAuthRequirement("git (write)", gitWrite, o.Realm, git: true);
        _rules = [.. o.Rules.Select((rule, i) => new ForwardAuthRuleMatcher(rule, new ForwardAuthRequirement($"rule {i}", rule, o.Realm)))];
        _default = new ForwardAuthRequirement("default", o.Default, o.Realm);
    }

    /// <summary>What the original request (method, host without port, normalised path, raw query) needs.</summary>
    public ForwardAuthRequirement Match(ReadOnlySpan<char> method, ReadOnlySpan<char> host, ReadOnlySpan<char> path, ReadOnlySpan<char> query)
    {
        if (_git && MatchGit(path, query) is { } git)
        {
            return git;
        }

        foreach (var rule in _rules)
        {
            if (rule.Matches(method, host, path))
            {
                return rule.Requirement;
            }
        }

        return _default;
    }

    // Smart HTTP: info/refs?service=git-upload-pack then POST git-upload-pack (fetch, clone);
    // info/refs?service=git-receive-pack then POST git-receive-pack (push). Dumb HTTP: info/refs alone (read).
    private ForwardAuthRequirement? MatchGit(ReadOnlySpan<char> path, ReadOnlySpan<char> query)
    {
        if (path.EndsWith(UploadPack, StringComparison.Ordinal))
        {
            return _gitRead;
        }

        if (path.EndsWith(ReceivePack, StringComparison.Ordinal))
        {
            return _gitWrite;
        }

        if (path.EndsWith(InfoRefs, StringComparison.Ordinal))
        {
            return AsksForReceivePack(query) ? _gitWrite : _gitRead;
        }

        return null;
    }

    // Any service=git-receive-pack among the parameters, however many there are and however the name is encoded
    // (git http-backend decodes names: %73ervice is service): the stricter reading wins.
    private static bool AsksForReceivePack(ReadOnlySpan<char> query)
    {
        while (query.Length > 0)
        {
            var amp = query.IndexOf('&');
            var pair = amp < 0 ? query : query[..amp];
            query = amp < 0 ? ReadOnlySpan<char>.Empty : query[(amp + 1)..];
            if (LatchkeyCredentialReader.QueryValue(pair, "service") == "git-receive-pack")
            {
                return true;
            }
        }

        return false;
    }
}

using Latchkey.Policy;
using Latchkey.Stores;
using Latchkey.Tests.Fakes;
using Latchkey.Tokens;

namespace Latchkey.Tests.Manager;

/// <summary>The rules APIs used to check by hand: reach, views, why a token cannot change, every refusal at once, whole lists.</summary>
public sealed class TokenManagerRuleTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task An_administrator_reaching_only_their_own_tokens_finds_anyone_elses_as_not_found()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var root = await engine.CreateUserAsync("root", isAdmin: true);
        var hers = await engine.IssueAsync(alice);
        var mine = await engine.IssueAsync(root, "mine");
        var actor = Engine.ActorFor(root).OwnTokensOnly();

        Assert.Equal(TokenError.NotFound, (await engine.Manager.GetAsync(actor, hers.Token.Id, None)).Error);
        Assert.Equal(TokenError.NotFound, (await engine.Manager.GetByPublicIdAsync(actor, hers.Token.PublicId, None)).Error);
        Assert.Equal(TokenError.NotFound, (await engine.Manager.RevokeAsync(actor, hers.Token.Id, None)).Error);
        Assert.Equal([mine.Token.Id], (await engine.Manager.ListAsync(actor, new TokenQuery(), None)).Items.Select(t => t.Id));
        Assert.Equal(TokenErrorCode.Forbidden, (await engine.Manager.CreateAsync(actor, new CreateTokenRequest { Name = "x", UserId = alice.Id }, None)).Error?.Code);
        Assert.False((await engine.GetAsync(alice, hers.Token.Id)).IsRevoked);
    }

    [Fact]
    public async Task The_unrevoked_personal_view_hides_sessions_and_revoked_tokens_from_every_operation()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var session = await engine.Manager.CreateSessionAsync(alice, null, None);
        var revoked = await engine.IssueAsync(alice, "old");
        var live = await engine.IssueAsync(alice, "live");
        await engine.Manager.RevokeAsync(Engine.ActorFor(alice), revoked.Token.Id, None);
        var actor = Engine.ActorFor(alice).Seeing(TokenView.PersonalUnrevoked);

        Assert.Equal(TokenError.NotFound, (await engine.Manager.GetAsync(actor, session.Token.Id, None)).Error);
        Assert.Equal(TokenError.NotFound, (await engine.Manager.GetAsync(actor, revoked.Token.Id, None)).Error);
        Assert.Equal(TokenError.NotFound, (await engine.Manager.RevokeAsync(actor, revoked.Token.Id, None)).Error);
        Assert.Equal(TokenError.NotFound, (await engine.Manager.RevokeAsync(actor, session.Token.Id, None)).Error);
        Assert.Equal(live.Token.Id, (await engine.Manager.GetAsync(actor, live.Token.Id, None)).Value?.Id);
        Assert.Equal([live.Token.Id], (await engine.Manager.ListAsync(actor, new TokenQuery { Revoked = true }, None)).Items.Select(t => t.Id));

        // The personal view keeps revoked tokens (GitLab shows them) but not sessions.
        var personal = Engine.ActorFor(alice).Seeing(TokenView.Personal);
        Assert.True((await engine.Manager.GetAsync(personal, revoked.Token.Id, None)).Value?.IsRevoked);
        Assert.Equal(TokenError.NotFound, (await engine.Manager.GetAsync(personal, session.Token.Id, None)).Error);
    }

    [Fact]
    public async Task A_token_that_cannot_change_says_whether_it_expired_or_was_revoked()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var actor = Engine.ActorFor(alice);
        var expiring = await engine.IssueAsync(alice, "expiring", expiry: TokenExpiry.On(engine.Now.AddHours(1)));
        var revoked = await engine.IssueAsync(alice, "revoked");
        await engine.Manager.RevokeAsync(actor, revoked.Token.Id, None);
        engine.Time.Advance(TimeSpan.FromHours(2));

        var rotateExpired = await engine.Manager.RotateAsync(actor, expiring.Token.Id, null, None);
        var updateExpired = await engine.Manager.UpdateAsync(actor, expiring.Token.Id, new UpdateTokenRequest { Name = "x" }, None);
        var rotateRevoked = await engine.Manager.RotateAsync(actor, revoked.Token.Id, null, None);
        var updateRevoked = await engine.Manager.UpdateAsync(actor, revoked.Token.Id, new UpdateTokenRequest { Name = "x" }, None);

        Assert.Equal((TokenErrorCode.Inactive, TokenErrorReason.Expired), (rotateExpired.Error?.Code, rotateExpired.Error?.Reason));
        Assert.Equal((TokenErrorCode.Inactive, TokenErrorReason.Expired), (updateExpired.Error?.Code, updateExpired.Error?.Reason));
        Assert.Equal((TokenErrorCode.Inactive, TokenErrorReason.Revoked), (rotateRevoked.Error?.Code, rotateRevoked.Error?.Reason));
        Assert.Equal((TokenErrorCode.Inactive, TokenErrorReason.Revoked), (updateRevoked.Error?.Code, updateRevoked.Error?.Reason));
    }

    [Fact]
    public async Task Validating_a_create_returns_every_refusal_at_once_and_creates_nothing()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var request = new CreateTokenRequest
        {
            Name = new string('n', 300),
            Description = new string('d', 5000),
            Scopes = ["read_api", "no_such_scope", "sudo", "no_such_scope"],
            Expiry = TokenExpiry.On(engine.Now.AddDays(-1)),
        };

        var refusals = await engine.Manager.ValidateCreateAsync(Engine.ActorFor(alice), request, None);

        (TokenErrorReason, string?, string?)[] expected =
            [
                (TokenErrorReason.NameTooLong, "name", null),
                (TokenErrorReason.DescriptionTooLong, "description", null),
                (TokenErrorReason.ScopeUnknown, "scopes", "no_such_scope"),
                (TokenErrorReason.ScopeAdminOnly, "scopes", "sudo"),
                (TokenErrorReason.ExpiryInPast, "expires_at", null),
            ];
        Assert.Equal(expected, refusals.Select(r => (r.Reason, r.Field, r.Scope)));
        Assert.Equal(refusals[0], (await engine.CreateAsync(alice, request)).Error);
        Assert.Empty((await engine.Manager.ListAsync(Engine.ActorFor(alice), new TokenQuery(), None)).Items);
        Assert.Empty(await engine.Manager.ValidateCreateAsync(Engine.ActorFor(alice), new CreateTokenRequest { Name = "fine", Scopes = ["api"] }, None));
    }

    [Fact]
    public async Task Validating_a_create_names_each_scope_beyond_the_credential_making_it()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var narrow = await engine.AuthenticateAsync((await engine.IssueAsync(alice, "narrow", ["read_api"])).Secret);

        var refusals = await engine.Manager.ValidateCreateAsync(
            Engine.ActorFor(narrow), new CreateTokenRequest { Name = "wider", Scopes = ["read_api", "api", "write_repository"] }, None);

        Assert.Equal(
            [(TokenErrorReason.ScopeBeyondCeiling, "api"), (TokenErrorReason.ScopeBeyondCeiling, "write_repository")],
            refusals.Select(r => (r.Reason, r.Scope)));
    }

    [Fact]
    public async Task Listing_everything_reads_every_page_of_the_actors_view()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var ids = new List<long>();
        for (var i = 0; i < 230; i++)
        {
            ids.Add((await engine.IssueAsync(alice, $"t{i}")).Token.Id);
        }

        await engine.Manager.RevokeAsync(Engine.ActorFor(alice), ids[7], None);
        var actor = Engine.ActorFor(alice).Seeing(TokenView.PersonalUnrevoked);

        var listed = await engine.Manager.ListAllAsync(actor, new TokenQuery { Sort = TokenSort.IdAsc, PerPage = 5 }, None).Select(t => t.Id).ToListAsync();

        Assert.Equal(ids.Where(id => id != ids[7]), listed);
    }

    [Fact]
    public async Task A_validation_that_is_not_a_use_records_nothing()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);

        var first = await engine.Validator.ValidateAsync(issued.Secret, TokenUse.NotAUse, None);
        var again = await engine.Validator.ValidateAsync(issued.Secret, TokenUse.NotAUse, None);
        await engine.Usage.FlushAsync(None);

        Assert.True(first.Succeeded && again.Succeeded);
        Assert.Equal(0, engine.Usage.PendingCount);
        var token = await engine.GetAsync(alice, issued.Token.Id);
        Assert.Equal((null, 0), (token.LastUsedAt, token.LastUsedIps.Count));
        Assert.Null((await engine.Tokens.FindAsync(issued.Token.Id, None))?.LastUsedAt);

        // The same token used by its client is recorded, with the client's address.
        await engine.Validator.ValidateAsync(issued.Secret, TokenUse.By("203.0.113.9"), None);
        Assert.Equal(["203.0.113.9"], (await engine.GetAsync(alice, issued.Token.Id)).LastUsedIps);
    }
}

using System.Text.Json;
using Latchkey.Auditing;
using Latchkey.Policy;
using Latchkey.Tests.Fakes;
using Latchkey.Tokens;

namespace Latchkey.Tests.Manager;

public sealed class TokenManagerCreateTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Creating_a_token_returns_its_secret_which_then_authenticates()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");

        var issued = await engine.IssueAsync(alice, "ci", ["read_api"]);

        Assert.StartsWith("lk_", issued.Secret, StringComparison.Ordinal);
        var authenticated = await engine.AuthenticateAsync(issued.Secret);
        Assert.Equal(issued.Token.Id, authenticated.TokenId);
        Assert.Equal(alice.Id, authenticated.UserId);
    }

    [Fact]
    public async Task The_secret_is_in_nothing_but_the_issued_token()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);

        var stored = await engine.GetAsync(alice, issued.Token.Id);
        var listed = await engine.Manager.ListAsync(Engine.ActorFor(alice), new(), None);

        Assert.DoesNotContain(issued.Secret, JsonSerializer.Serialize(issued.Token), StringComparison.Ordinal);
        Assert.DoesNotContain(issued.Secret, JsonSerializer.Serialize(stored), StringComparison.Ordinal);
        Assert.DoesNotContain(issued.Secret, JsonSerializer.Serialize(listed), StringComparison.Ordinal);
        Assert.DoesNotContain(issued.Secret, issued.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(issued.Secret, JsonSerializer.Serialize(engine.Audit.Events), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_token_is_stored_as_asked_and_is_its_own_family()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");

        var result = await engine.CreateAsync(alice, new CreateTokenRequest
        {
            Name = "deploy",
            Description = "pushes releases",
            Scopes = ["write_repository", "read_user"],
            Attributes = new Dictionary<string, string> { ["team"] = "infra" },
        });

        var token = result.Value!.Token;
        var stored = await engine.GetAsync(alice, token.Id);
        Assert.Equal((token.Name, token.Description, token.ExpiresAt, token.PublicId), (stored.Name, stored.Description, stored.ExpiresAt, stored.PublicId));
        Assert.Equal("deploy", token.Name);
        Assert.Equal("pushes releases", token.Description);
        Assert.Equal(["write_repository", "read_user"], token.Scopes);
        Assert.Equal("infra", token.Attributes["team"]);
        Assert.Equal(TokenKind.Personal, token.Kind);
        Assert.Equal(TokenOrigins.Native, token.Origin);
        Assert.Equal(engine.Now, token.CreatedAt);
        Assert.Equal(engine.Now.AddDays(30), token.ExpiresAt);
        Assert.Equal(token.Id, token.FamilyId);
        Assert.Null(token.PreviousId);
        Assert.Null(token.LastUsedAt);
        Assert.Matches("^[0-9a-f]{32}$", token.PublicId);
    }

    [Fact]
    public async Task Every_token_gets_its_own_public_id()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");

        var ids = new HashSet<string>();
        for (var i = 0; i < 50; i++)
        {
            Assert.True(ids.Add((await engine.IssueAsync(alice, $"t{i}")).Token.PublicId));
        }
    }

    [Fact]
    public async Task Timestamps_come_back_to_the_millisecond_exactly_as_stored()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        engine.Time.Advance(TimeSpan.FromTicks(1234));

        var issued = await engine.IssueAsync(alice);

        var stored = await engine.GetAsync(alice, issued.Token.Id);
        Assert.Equal(EngineBuilder.Start, issued.Token.CreatedAt);
        Assert.Equal(EngineBuilder.Start.AddDays(30), issued.Token.ExpiresAt);
        Assert.Equal((issued.Token.CreatedAt, issued.Token.ExpiresAt), (stored.CreatedAt, stored.ExpiresAt));
    }

    [Fact]
    public async Task Creating_a_token_is_audited_with_who_for_whom_and_from_where()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");

        var issued = await engine.IssueAsync(alice);

        var entry = Assert.Single(engine.Audit.Entries(AuditActions.TokenCreated));
        Assert.Equal(new AuditEntry(AuditActions.TokenCreated, engine.Now, alice.Id, issued.Token.Id, alice.Id, Engine.ClientIp), entry);
    }

    [Fact]
    public async Task A_user_cannot_create_a_token_for_someone_else()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var bob = await engine.CreateUserAsync("bob");

        var result = await engine.CreateAsync(alice, new CreateTokenRequest { UserId = bob.Id, Name = "ci", Scopes = ["api"] });

        Assert.Equal(TokenErrorCode.Forbidden, result.Error?.Code);
        Assert.Equal(0, engine.Tokens.Count);
        Assert.Empty(engine.Audit.Events);
    }

    [Fact]
    public async Task An_administrator_can_create_a_token_for_someone_else()
    {
        var engine = new EngineBuilder().Build();
        var root = await engine.CreateUserAsync("root", isAdmin: true);
        var bob = await engine.CreateUserAsync("bob");

        var result = await engine.CreateAsync(root, new CreateTokenRequest { UserId = bob.Id, Name = "ci", Scopes = ["api"] });

        Assert.Equal(bob.Id, result.Value?.Token.UserId);
        Assert.Equal(bob.Id, (await engine.AuthenticateAsync(result.Value!.Secret)).UserId);
        var entry = Assert.Single(engine.Audit.Entries(AuditActions.TokenCreated));
        Assert.Equal((root.Id, bob.Id), (entry.ActorUserId, entry.SubjectUserId));
    }

    [Fact]
    public async Task Creating_a_token_for_a_user_who_does_not_exist_is_not_found()
    {
        var engine = new EngineBuilder().Build();
        var root = await engine.CreateUserAsync("root", isAdmin: true);

        var result = await engine.CreateAsync(root, new CreateTokenRequest { UserId = 999, Name = "ci", Scopes = ["api"] });

        Assert.Equal(TokenErrorCode.NotFound, result.Error?.Code);
        Assert.Equal("user_id", result.Error?.Field);
    }

    [Fact]
    public async Task An_administrator_cannot_give_an_administrator_scope_to_someone_who_is_not_one()
    {
        var engine = new EngineBuilder().Build();
        var root = await engine.CreateUserAsync("root", isAdmin: true);
        var bob = await engine.CreateUserAsync("bob");

        var forBob = await engine.CreateAsync(root, new CreateTokenRequest { UserId = bob.Id, Name = "ci", Scopes = ["sudo"] });
        var forRoot = await engine.CreateAsync(root, new CreateTokenRequest { Name = "ci", Scopes = ["sudo"] });

        Assert.Equal(TokenErrorCode.Invalid, forBob.Error?.Code);
        Assert.Equal((TokenErrorReason.ScopeAdminOnly, "sudo"), (forBob.Error!.Reason, forBob.Error.Scope));
        Assert.True(forRoot.Succeeded);
    }

    [Theory]
    [InlineData("", "name", TokenErrorReason.NameMissing)]
    [InlineData("line\nbreak", "name", TokenErrorReason.NameInvalidCharacters)]
    [InlineData(null, "name", TokenErrorReason.NameMissing)]
    public async Task An_invalid_request_stores_nothing(string? name, string field, TokenErrorReason reason)
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");

        var result = await engine.CreateAsync(alice, new CreateTokenRequest { Name = name, Scopes = ["api"] });

        Assert.Equal(field, result.Error?.Field);
        Assert.Equal(reason, result.Error?.Reason);
        Assert.Equal(0, engine.Tokens.Count);
        Assert.Empty(engine.Audit.Events);
    }

    [Fact]
    public async Task A_too_long_description_or_expiry_is_refused_by_field()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");

        var description = await engine.CreateAsync(alice, new CreateTokenRequest { Name = "ci", Description = new string('d', 1001), Scopes = ["api"] });
        var expiry = await engine.CreateAsync(alice, new CreateTokenRequest { Name = "ci", Scopes = ["api"], Expiry = TokenExpiry.On(engine.Now.AddDays(366)) });
        var scopes = await engine.CreateAsync(alice, new CreateTokenRequest { Name = "ci", Scopes = ["nope"] });

        Assert.Equal("description", description.Error?.Field);
        Assert.Equal("expires_at", expiry.Error?.Field);
        Assert.Equal("scopes", scopes.Error?.Field);
        Assert.Equal(
            [TokenErrorReason.DescriptionTooLong, TokenErrorReason.ExpiryBeyondMaximum, TokenErrorReason.ScopeUnknown],
            new[] { description, expiry, scopes }.Select(r => r.Error!.Reason));
        Assert.Equal(0, engine.Tokens.Count);
    }

    [Fact]
    public async Task A_token_cannot_mint_a_token_broader_than_itself()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var readOnly = await engine.AuthenticateAsync((await engine.IssueAsync(alice, "ro", ["read_api"])).Secret);
        var actor = Engine.ActorFor(readOnly);

        var broader = await engine.Manager.CreateAsync(actor, new CreateTokenRequest { Name = "rw", Scopes = ["api"] }, None);
        var narrower = await engine.Manager.CreateAsync(actor, new CreateTokenRequest { Name = "repo", Scopes = ["read_repository"] }, None);

        Assert.Equal("scopes", broader.Error?.Field);
        Assert.Equal(TokenErrorReason.ScopeBeyondCeiling, broader.Error?.Reason);
        Assert.True(narrower.Succeeded);
    }

    [Fact]
    public async Task The_cap_on_tokens_counts_only_active_personal_tokens()
    {
        var engine = new EngineBuilder().ConfigurePolicy(o => o.MaxTokensPerUser = 2).Build();
        var alice = await engine.CreateUserAsync("alice");
        var bob = await engine.CreateUserAsync("bob");
        await engine.IssueAsync(alice, "one", expiry: TokenExpiry.On(engine.Now.AddHours(1)));
        var two = await engine.IssueAsync(alice, "two");
        await engine.Manager.CreateSessionAsync(alice, null, None);

        var third = await engine.CreateAsync(alice, new CreateTokenRequest { Name = "three", Scopes = ["api"] });
        Assert.Equal(TokenErrorCode.LimitReached, third.Error?.Code);
        Assert.Equal(2, third.Error?.Limit);
        await engine.IssueAsync(bob, "bob's");

        engine.Time.Advance(TimeSpan.FromHours(1));
        await engine.IssueAsync(alice, "after the first expired");

        var fourth = await engine.CreateAsync(alice, new CreateTokenRequest { Name = "four", Scopes = ["api"] });
        Assert.Equal(TokenErrorCode.LimitReached, fourth.Error?.Code);
        await engine.Manager.RevokeAsync(Engine.ActorFor(alice), two.Token.Id, None);
        await engine.IssueAsync(alice, "after one was revoked");
    }

    [Fact]
    public async Task Concurrent_creates_cannot_slip_past_the_cap()
    {
        var engine = new EngineBuilder().ConfigurePolicy(o => o.MaxTokensPerUser = 5).Build();
        var alice = await engine.CreateUserAsync("alice");

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            Task.Run(() => engine.CreateAsync(alice, new CreateTokenRequest { Name = $"t{i}", Scopes = ["api"] }))));

        Assert.Equal(5, results.Count(r => r.Succeeded));
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(TokenErrorCode.LimitReached, r.Error!.Code));
        Assert.Equal(5, engine.Tokens.Count);
    }

    [Fact]
    public async Task Names_must_be_unique_among_a_users_active_tokens_when_the_policy_says_so()
    {
        var engine = new EngineBuilder().ConfigurePolicy(o => o.UniqueNamesPerUser = true).Build();
        var alice = await engine.CreateUserAsync("alice");
        var bob = await engine.CreateUserAsync("bob");
        var first = await engine.IssueAsync(alice, "ci");

        var again = await engine.CreateAsync(alice, new CreateTokenRequest { Name = "ci", Scopes = ["api"] });
        Assert.Equal(TokenErrorCode.NameTaken, again.Error?.Code);
        Assert.Equal("name", again.Error?.Field);

        await engine.IssueAsync(bob, "ci");
        await engine.IssueAsync(alice, "CI");
        await engine.Manager.RevokeAsync(Engine.ActorFor(alice), first.Token.Id, None);
        await engine.IssueAsync(alice, "ci");
    }

    [Fact]
    public async Task Names_may_repeat_when_the_policy_does_not_ask_for_unique_ones()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");

        var one = await engine.IssueAsync(alice, "ci");
        var two = await engine.IssueAsync(alice, "ci");

        Assert.NotEqual(one.Token.Id, two.Token.Id);
    }

    [Fact]
    public async Task A_dialect_gets_its_own_policy_and_is_recorded_as_the_origin()
    {
        var engine = new EngineBuilder()
            .ConfigureAllPolicies(o => o.Prefix = "lk_")
            .ConfigurePolicy("gitlab", o =>
            {
                o.Prefix = "glpat-";
                o.DefaultExpiresAtEndOfDay = true;
            })
            .Build();
        var alice = await engine.CreateUserAsync("alice");

        var gitlab = await engine.CreateAsync(alice, new CreateTokenRequest { Name = "ci", Scopes = ["api"], Origin = "gitlab" });
        var native = await engine.IssueAsync(alice);

        Assert.StartsWith("glpat-", gitlab.Value!.Secret, StringComparison.Ordinal);
        Assert.Equal("gitlab", gitlab.Value.Token.Origin);
        Assert.Equal(new DateTimeOffset(2025, 3, 15, 0, 0, 0, TimeSpan.Zero), gitlab.Value.Token.ExpiresAt);
        Assert.StartsWith("lk_", native.Secret, StringComparison.Ordinal);
        Assert.Equal(engine.Now.AddDays(30), native.Token.ExpiresAt);
        Assert.True((await engine.ValidateAsync(gitlab.Value.Secret)).Succeeded);
    }

    [Fact]
    public async Task A_never_expiring_token_needs_acknowledgement()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");

        var unacknowledged = await engine.CreateAsync(alice, new CreateTokenRequest { Name = "ci", Scopes = ["api"], Expiry = TokenExpiry.Never(false) });
        var acknowledged = await engine.IssueAsync(alice, expiry: TokenExpiry.Never(true));

        Assert.Equal("expires_at", unacknowledged.Error?.Field);
        Assert.Equal(TokenErrorReason.NeverExpiringNotAcknowledged, unacknowledged.Error?.Reason);
        Assert.Null(acknowledged.Token.ExpiresAt);
        engine.Time.Advance(TimeSpan.FromDays(3650));
        Assert.True((await engine.ValidateAsync(acknowledged.Secret)).Succeeded);
    }

    [Fact]
    public async Task Full_access_is_a_scope_a_token_can_have()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");

        var token = await engine.AuthenticateAsync((await engine.IssueAsync(alice, scopes: [ScopeCatalog.FullAccess])).Secret);

        Assert.True(token.Granted.IsFullAccess);
    }
}

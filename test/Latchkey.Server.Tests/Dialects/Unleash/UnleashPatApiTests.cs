using System.Net;
using System.Net.Http.Json;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.Unleash;

/// <summary>Every case recorded from Unleash 7.5.1, answered by Latchkey's Unleash dialect.</summary>
[Collection(UnleashServer.Name)]
public sealed class UnleashPatApiTests
{
    // JSON.stringify's escaping, to write down what Unleash quotes back.
    private static readonly System.Text.Json.JsonSerializerOptions NodeJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly LatchkeyServerFactory _factory;

    public UnleashPatApiTests(LatchkeyServerFactory factory) => _factory = factory;

    [Fact]
    public async Task Creating_a_PAT_answers_201_with_Unleash_fields_in_order_a_Location_and_the_secret_once()
    {
        var (user, userId) = await _factory.NewUserAsync();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        using var response = await user.PostPatAsync("""{"description":"bench-pat-1","expiresAt":"2027-12-31T23:59:59.000Z"}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var pat = (await response.JsonAsync())!;
        UnleashAssert.PatShape(pat, withSecret: true);
        var id = pat["id"]!.GetValue<long>();
        Assert.True(id >= 1);
        Assert.Equal($"/api/admin/user/tokens/{id}", response.Headers.Location?.ToString());
        Assert.Equal("bench-pat-1", pat["description"]!.GetValue<string>());
        Assert.Equal("2027-12-31T23:59:59.000Z", pat["expiresAt"]!.GetValue<string>());
        Assert.Equal(userId, pat["userId"]!.GetValue<long>());
        UnleashAssert.IsoInstant(pat["createdAt"]);
        var createdAt = DateTimeOffset.Parse(pat["createdAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(createdAt, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Null(pat["seenAt"]);
        Assert.Matches("^user:[0-9A-Za-z]{38}$", pat["secret"]!.GetValue<string>());

        // The secret is in that response only.
        var listed = Assert.Single(await user.ListPatsAsync());
        UnleashAssert.PatShape(listed, withSecret: false);
        Assert.Equal(id, listed!["id"]!.GetValue<long>());
        Assert.DoesNotContain(pat["secret"]!.GetValue<string>(), listed.ToJsonString());
    }

    [Fact]
    public async Task PAT_ids_increase_so_a_newer_PAT_always_has_a_higher_id()
    {
        var (user, _) = await _factory.NewUserAsync();
        var first = await user.CreatePatAsync("first");
        var second = await user.CreatePatAsync("second");
        Assert.True(second["id"]!.GetValue<long>() > first["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_list_is_Unleash_s_pats_object_with_every_PAT_of_the_user_and_no_secrets()
    {
        var (user, userId) = await _factory.NewUserAsync();
        var a = await user.CreatePatAsync("a", "2027-12-31T23:59:59.000Z");
        var b = await user.CreatePatAsync("b");

        using var response = await user.GetAsync(UnleashClient.TokensPath);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.JsonAsync())!.AsObject();
        Assert.Equal(["pats"], body.Select(p => p.Key));
        var pats = body["pats"]!.AsArray();
        Assert.Equal([a["id"]!.GetValue<long>(), b["id"]!.GetValue<long>()], pats.Select(p => p!["id"]!.GetValue<long>()));
        Assert.All(pats, p => UnleashAssert.PatShape(p, withSecret: false));
        Assert.Equal(
            $$"""{"id":{{a["id"]}},"description":"a","expiresAt":"2027-12-31T23:59:59.000Z","userId":{{userId}},"createdAt":{{a["createdAt"]!.ToJsonString()}},"seenAt":null}""",
            pats[0]!.ToJsonString());
    }

    [Fact]
    public async Task An_unknown_extra_field_is_ignored_as_Unleash_ignores_it()
    {
        var (user, _) = await _factory.NewUserAsync();
        using var response = await user.PostPatAsync($$"""{"description":"extra","expiresAt":"{{UnleashClient.FutureExpiry}}","foo":"bar"}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var pat = await response.JsonAsync();
        UnleashAssert.PatShape(pat, withSecret: true);
        Assert.Equal("extra", pat!["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_missing_expiresAt_is_refused_as_Unleash_refuses_it()
    {
        var (user, _) = await _factory.NewUserAsync();
        using var response = await user.PostPatAsync("""{"description":"no-expiry"}""");
        await UnleashAssert.BodyAsync(response, HttpStatusCode.BadRequest, UnleashRecorded.MissingExpiresAt);
        Assert.Empty(await user.ListPatsAsync());
    }

    [Fact]
    public async Task A_past_expiresAt_is_refused_as_Unleash_refuses_it()
    {
        var (user, _) = await _factory.NewUserAsync();
        using var response = await user.PostPatAsync("""{"description":"past","expiresAt":"2020-01-01T00:00:00.000Z"}""");
        await UnleashAssert.BodyAsync(response, HttpStatusCode.BadRequest, UnleashRecorded.PastExpiresAt);
        Assert.Empty(await user.ListPatsAsync());
    }

    [Fact]
    public async Task Malformed_JSON_answers_400_with_only_a_parser_message()
    {
        var (user, _) = await _factory.NewUserAsync();
        using var response = await user.PostPatAsync("""{"description":"x", }""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = (await response.JsonAsync())!.AsObject();
        Assert.Equal(["message"], body.Select(p => p.Key));
        Assert.EndsWith("in JSON at position 20", body["message"]!.GetValue<string>());
        Assert.Empty(await user.ListPatsAsync());
    }

    [Fact]
    public async Task A_missing_description_is_refused_as_Unleash_refuses_it()
    {
        var (user, _) = await _factory.NewUserAsync();
        using var response = await user.PostPatAsync($$"""{"expiresAt":"{{UnleashClient.FutureExpiry}}"}""");
        await UnleashAssert.BodyAsync(response, HttpStatusCode.BadRequest, UnleashRecorded.MissingDescription);
    }

    [Fact]
    public async Task An_empty_description_is_refused_as_Unleash_refuses_it()
    {
        var (user, _) = await _factory.NewUserAsync();
        using var response = await user.PostPatAsync($$"""{"description":"","expiresAt":"{{UnleashClient.FutureExpiry}}"}""");
        await UnleashAssert.BodyAsync(response, HttpStatusCode.BadRequest, UnleashRecorded.EmptyDescription);
    }

    [Fact]
    public async Task A_bare_date_is_not_a_date_time_and_is_refused_as_Unleash_refuses_it()
    {
        var (user, _) = await _factory.NewUserAsync();
        using var response = await user.PostPatAsync("""{"description":"date-only","expiresAt":"2027-01-01"}""");
        await UnleashAssert.BodyAsync(response, HttpStatusCode.BadRequest, UnleashRecorded.DateOnlyExpiresAt);
    }

    [Fact]
    public async Task A_garbage_expiresAt_is_refused_as_Unleash_refuses_it()
    {
        var (user, _) = await _factory.NewUserAsync();
        using var response = await user.PostPatAsync("""{"description":"garbage","expiresAt":"not-a-date"}""");
        await UnleashAssert.BodyAsync(response, HttpStatusCode.BadRequest, UnleashRecorded.GarbageExpiresAt);
    }

    [Theory]
    [InlineData("2027-12-31T23:59:59")]
    [InlineData("2027-02-30T00:00:00Z")]
    [InlineData("2027-12-31T24:00:00Z")]
    [InlineData("2027-12-31T23:59:59+25:00")]
    [InlineData("2027-12-31T23:59:59Z\n")]
    [InlineData("٢٠٢٧-12-31T23:59:59Z")]
    public async Task Date_times_without_a_zone_or_with_impossible_parts_are_refused_as_not_date_time(string expiresAt)
    {
        var (user, _) = await _factory.NewUserAsync();
        using var response = await user.PostAsJsonAsync(UnleashClient.TokensPath, new { description = "bad-date", expiresAt });
        var body = await UnleashAssert.BodyAsync(
            response,
            HttpStatusCode.BadRequest,
            $$"""{"id":"*","name":"BadDataError","message":"Request validation failed: your request body or params contain invalid data. Refer to the `details` list for more information.","details":[{"message":"The `/body/expiresAt` property must match format \"date-time\". You sent {{InJsonString(System.Text.Json.JsonSerializer.Serialize(expiresAt, NodeJson))}}.","path":"/body/expiresAt"}]}""");
        Assert.NotNull(body);
        Assert.Empty(await user.ListPatsAsync());
    }

    [Theory]
    [InlineData("2099-06-30T12:00:00+02:00", "2099-06-30T10:00:00.000Z")]
    [InlineData("2099-06-30 12:00:00.1234567z", "2099-06-30T12:00:00.123Z")]
    [InlineData("2099-06-30T12:00:00-0130", "2099-06-30T13:30:00.000Z")]
    public async Task Any_RFC_3339_date_time_is_accepted_and_answered_in_UTC_with_milliseconds(string expiresAt, string answered)
    {
        var (user, _) = await _factory.NewUserAsync();
        var pat = await user.CreatePatAsync("rfc3339", expiresAt);
        Assert.Equal(answered, pat["expiresAt"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_absurdly_distant_expiry_is_kept_as_Unleash_has_no_maximum_lifetime()
    {
        var (user, _) = await _factory.NewUserAsync();
        var pat = await user.CreatePatAsync("forever-ish", "9999-12-31T23:59:59.999Z");
        Assert.Equal("9999-12-31T23:59:59.999Z", pat["expiresAt"]!.GetValue<string>());
        var listed = Assert.Single(await user.ListPatsAsync());
        Assert.Equal("9999-12-31T23:59:59.999Z", listed!["expiresAt"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_expiry_beyond_the_year_9999_is_refused_rather_than_stored_wrong()
    {
        var (user, _) = await _factory.NewUserAsync();
        using var response = await user.PostPatAsync("""{"description":"too-far","expiresAt":"9999-12-31T23:00:00-02:00"}""");
        await UnleashAssert.BodyAsync(
            response,
            HttpStatusCode.BadRequest,
            """{"name":"BadDataError","message":"Request validation failed: your request body or params contain invalid data: The expiry date is too far in the future.","details":[{"message":"The expiry date is too far in the future."}]}""");
        Assert.Empty(await user.ListPatsAsync());
    }

    [Fact]
    public async Task The_year_zero_is_a_date_time_in_the_past()
    {
        var (user, _) = await _factory.NewUserAsync();
        using var response = await user.PostPatAsync("""{"description":"ancient","expiresAt":"0000-01-01T00:00:00Z"}""");
        await UnleashAssert.BodyAsync(response, HttpStatusCode.BadRequest, UnleashRecorded.PastExpiresAt);
    }

    [Theory]
    [InlineData("""{"description":123,"expiresAt":"2099-01-01T00:00:00Z"}""", "/body/description", "must be string", "123")]
    [InlineData("""{"description":null,"expiresAt":"2099-01-01T00:00:00Z"}""", "/body/description", "must be string", "null")]
    [InlineData("""{"description":"x","expiresAt":1767225600}""", "/body/expiresAt", "must be string", "1767225600")]
    [InlineData("""{"description":"x","expiresAt":["2099-01-01T00:00:00Z"]}""", "/body/expiresAt", "must be string", """["2099-01-01T00:00:00Z"]""")]
    [InlineData("""["description"]""", "/body", "must be object", """["description"]""")]
    public async Task Values_of_the_wrong_type_are_refused_naming_the_property_and_what_was_sent(string json, string path, string problem, string sent)
    {
        var (user, _) = await _factory.NewUserAsync();
        using var response = await user.PostPatAsync(json);
        await UnleashAssert.BodyAsync(
            response,
            HttpStatusCode.BadRequest,
            $$"""{"id":"*","name":"BadDataError","message":"Request validation failed: your request body or params contain invalid data. Refer to the `details` list for more information.","details":[{"message":"The `{{path}}` property {{problem}}. You sent {{InJsonString(sent)}}.","path":"{{path}}"}]}""");
        Assert.Empty(await user.ListPatsAsync());
    }

    [Fact]
    public async Task A_duplicate_description_is_refused_as_Unleash_refuses_it_and_the_first_PAT_stays()
    {
        var (user, _) = await _factory.NewUserAsync();
        var first = await user.CreatePatAsync("twin");
        using var response = await user.PostPatAsync($$"""{"description":"twin","expiresAt":"{{UnleashClient.FutureExpiry}}"}""");
        await UnleashAssert.BodyAsync(response, HttpStatusCode.Conflict, UnleashRecorded.DuplicateDescription);
        var listed = Assert.Single(await user.ListPatsAsync());
        Assert.Equal(first["id"]!.GetValue<long>(), listed!["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task Another_user_may_use_the_same_description()
    {
        var (alice, _) = await _factory.NewUserAsync();
        var (bob, _) = await _factory.NewUserAsync();
        await alice.CreatePatAsync("shared-name");
        await bob.CreatePatAsync("shared-name");
    }

    [Fact]
    public async Task A_text_plain_body_answers_415_as_Unleash_does()
    {
        var (user, _) = await _factory.NewUserAsync();
        using var response = await user.PostPatAsync($$"""{"description":"plain","expiresAt":"{{UnleashClient.FutureExpiry}}"}""", "text/plain");
        await UnleashAssert.BodyAsync(response, HttpStatusCode.UnsupportedMediaType, UnleashRecorded.TextPlain);
        Assert.Empty(await user.ListPatsAsync());
    }

    [Fact]
    public async Task A_request_without_a_content_type_answers_415_saying_none_was_given()
    {
        var (user, _) = await _factory.NewUserAsync();
        using var response = await user.PostAsync(UnleashClient.TokensPath, null);
        await UnleashAssert.BodyAsync(
            response,
            HttpStatusCode.UnsupportedMediaType,
            """{"id":"*","name":"ContentTypeError","message":"We do not accept the content-type you provided (you didn't provide one). Try using one of the content-types we do accept instead (application/json) and make sure the body is in the corresponding format.","details":[{"message":"We do not accept the content-type you provided (you didn't provide one). Try using one of the content-types we do accept instead (application/json) and make sure the body is in the corresponding format."}]}""");
    }

    [Fact]
    public async Task A_JSON_request_with_no_body_at_all_reports_the_missing_description()
    {
        var (user, _) = await _factory.NewUserAsync();
        using var response = await user.PostPatAsync(string.Empty);
        await UnleashAssert.BodyAsync(response, HttpStatusCode.BadRequest, UnleashRecorded.MissingDescription);
    }

    [Fact]
    public async Task A_description_longer_than_the_policy_allows_is_refused_in_Unleash_s_shape()
    {
        var (user, _) = await _factory.NewUserAsync();
        using var response = await user.PostAsJsonAsync(UnleashClient.TokensPath, new { description = new string('d', 256), expiresAt = UnleashClient.FutureExpiry });
        await UnleashAssert.BodyAsync(
            response,
            HttpStatusCode.BadRequest,
            """{"name":"BadDataError","message":"Request validation failed: your request body or params contain invalid data: PAT description is too long (maximum is 255 characters).","details":[{"message":"PAT description is too long (maximum is 255 characters)."}]}""");
    }

    [Theory]
    [InlineData("   ", "PAT description cannot be empty.")]
    [InlineData("line\nbreak", "PAT description must not contain control characters.")]
    public async Task Blank_descriptions_and_control_characters_are_refused_in_Unleash_s_shape(string description, string message)
    {
        var (user, _) = await _factory.NewUserAsync();
        using var response = await user.PostAsJsonAsync(UnleashClient.TokensPath, new { description, expiresAt = UnleashClient.FutureExpiry });
        await UnleashAssert.BodyAsync(
            response,
            HttpStatusCode.BadRequest,
            $$"""{"name":"BadDataError","message":"Request validation failed: your request body or params contain invalid data: {{message}}","details":[{"message":"{{message}}"}]}""");
        Assert.Empty(await user.ListPatsAsync());
    }

    [Fact]
    public async Task The_eleventh_PAT_is_refused_with_Unleash_s_limit_message_and_deleting_one_makes_room()
    {
        var (user, _) = await _factory.NewUserAsync();
        var pats = new List<long>();
        for (var i = 1; i <= 10; i++)
        {
            pats.Add((await user.CreatePatAsync($"pat-{i}"))["id"]!.GetValue<long>());
        }

        using (var refused = await user.PostPatAsync($$"""{"description":"pat-11","expiresAt":"{{UnleashClient.FutureExpiry}}"}"""))
        {
            await UnleashAssert.BodyAsync(refused, HttpStatusCode.Forbidden, UnleashRecorded.TooManyPats);
        }

        Assert.Equal(10, (await user.ListPatsAsync()).Count);
        using (var deleted = await user.DeleteAsync($"{UnleashClient.TokensPath}/{pats[0]}"))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        await user.CreatePatAsync("pat-11");
    }

    [Fact]
    public async Task Deleting_an_own_PAT_answers_200_with_an_empty_body_and_the_PAT_stops_working()
    {
        var (user, _) = await _factory.NewUserAsync();
        var pat = await user.CreatePatAsync("doomed");
        var withPat = _factory.CreateClient().WithRawAuthorization(pat["secret"]!.GetValue<string>());
        Assert.Single(await withPat.ListPatsAsync());

        using var response = await user.DeleteAsync($"{UnleashClient.TokensPath}/{pat["id"]}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
        Assert.Empty(await user.ListPatsAsync());
        using var dead = await withPat.GetAsync(UnleashClient.TokensPath);
        await UnleashAssert.BodyAsync(dead, HttpStatusCode.Unauthorized, UnleashRecorded.Unauthorized);
    }

    [Fact]
    public async Task Deleting_the_same_PAT_again_answers_404_No_PAT_found()
    {
        var (user, _) = await _factory.NewUserAsync();
        var pat = await user.CreatePatAsync("twice");
        using (var first = await user.DeleteAsync($"{UnleashClient.TokensPath}/{pat["id"]}"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var again = await user.DeleteAsync($"{UnleashClient.TokensPath}/{pat["id"]}");
        await UnleashAssert.BodyAsync(again, HttpStatusCode.NotFound, UnleashRecorded.PatNotFound);
    }

    [Theory]
    [InlineData("99999")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("99999999999999999999999")]
    public async Task Deleting_an_unknown_id_answers_404_No_PAT_found(string id)
    {
        var (user, _) = await _factory.NewUserAsync();
        await user.CreatePatAsync("bystander");
        using var response = await user.DeleteAsync($"{UnleashClient.TokensPath}/{id}");
        await UnleashAssert.BodyAsync(response, HttpStatusCode.NotFound, UnleashRecorded.PatNotFound);
        Assert.Single(await user.ListPatsAsync());
    }

    [Fact]
    public async Task Deleting_a_non_integer_id_answers_400_as_Unleash_does()
    {
        var (user, _) = await _factory.NewUserAsync();
        using var response = await user.DeleteAsync($"{UnleashClient.TokensPath}/abc");
        await UnleashAssert.BodyAsync(response, HttpStatusCode.BadRequest, UnleashRecorded.NonIntegerId);
    }

    [Fact]
    public async Task Deleting_another_user_s_PAT_answers_the_same_404_and_deletes_nothing()
    {
        var (alice, _) = await _factory.NewUserAsync();
        var (bob, _) = await _factory.NewUserAsync();
        var pat = await alice.CreatePatAsync("alice-only");

        using var response = await bob.DeleteAsync($"{UnleashClient.TokensPath}/{pat["id"]}");

        await UnleashAssert.BodyAsync(response, HttpStatusCode.NotFound, UnleashRecorded.PatNotFound);
        Assert.Single(await alice.ListPatsAsync());
        var withPat = _factory.CreateClient().WithRawAuthorization(pat["secret"]!.GetValue<string>());
        using var stillWorks = await withPat.GetAsync(UnleashClient.TokensPath);
        Assert.Equal(HttpStatusCode.OK, stillWorks.StatusCode);
    }

    [Fact]
    public async Task Even_an_administrator_lists_and_deletes_only_their_own_PATs_here()
    {
        var (alice, _) = await _factory.NewUserAsync();
        var pat = await alice.CreatePatAsync("not-the-admins");
        var admin = await _factory.AdminAsync();

        Assert.DoesNotContain(await admin.ListPatsAsync(), p => p!["id"]!.GetValue<long>() == pat["id"]!.GetValue<long>());
        using var response = await admin.DeleteAsync($"{UnleashClient.TokensPath}/{pat["id"]}");
        await UnleashAssert.BodyAsync(response, HttpStatusCode.NotFound, UnleashRecorded.PatNotFound);
        Assert.Single(await alice.ListPatsAsync());
    }

    [Fact]
    public async Task A_session_is_not_a_PAT_and_cannot_be_deleted_through_this_API()
    {
        var session = await _factory.CreateClient().SignInAsync();
        var admin = _factory.CreateClient().WithBearer(session);
        using var self = await admin.GetAsync("/api/tokens/self");
        var sessionId = (await self.JsonAsync())!["id"]!.GetValue<long>();

        using var response = await admin.DeleteAsync($"{UnleashClient.TokensPath}/{sessionId}");

        await UnleashAssert.BodyAsync(response, HttpStatusCode.NotFound, UnleashRecorded.PatNotFound);
        Assert.DoesNotContain(await admin.ListPatsAsync(), p => p!["id"]!.GetValue<long>() == sessionId);
        using var stillSignedIn = await admin.GetAsync("/api/tokens/self");
        Assert.Equal(HttpStatusCode.OK, stillSignedIn.StatusCode);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PATCH")]
    public async Task A_single_PAT_has_no_route_so_GET_and_PATCH_answer_Unleash_s_path_404(string method)
    {
        var (user, _) = await _factory.NewUserAsync();
        using var response = await user.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"{UnleashClient.TokensPath}/1"));
        await UnleashAssert.BodyAsync(response, HttpStatusCode.NotFound, UnleashRecorded.PathNotAvailable("/api/admin/user/tokens/1"));
    }

    [Fact]
    public async Task Without_an_Authorization_header_every_endpoint_answers_AuthenticationRequired()
    {
        var anonymous = _factory.CreateClient();
        using var list = await anonymous.GetAsync(UnleashClient.TokensPath);
        await UnleashAssert.BodyAsync(list, HttpStatusCode.Unauthorized, UnleashRecorded.AuthenticationRequired);
        using var create = await anonymous.PostPatAsync($$"""{"description":"x","expiresAt":"{{UnleashClient.FutureExpiry}}"}""");
        await UnleashAssert.BodyAsync(create, HttpStatusCode.Unauthorized, UnleashRecorded.AuthenticationRequired);
        using var delete = await anonymous.DeleteAsync($"{UnleashClient.TokensPath}/2");
        await UnleashAssert.BodyAsync(delete, HttpStatusCode.Unauthorized, UnleashRecorded.AuthenticationRequired);
        using var unknownPath = await anonymous.GetAsync("/api/admin/projects");
        await UnleashAssert.BodyAsync(unknownPath, HttpStatusCode.Unauthorized, UnleashRecorded.AuthenticationRequired);
    }

    [Theory]
    [InlineData("user:6a72f7d0c3df623d8bd27692bfcedea0fdc02f3b4cfa266c32408435")]
    [InlineData("garbage")]
    [InlineData("Token abc")]
    [InlineData("Bearer user:nope")]
    public async Task An_unknown_or_unusable_credential_answers_UnauthorizedError(string authorization)
    {
        var client = _factory.CreateClient().WithRawAuthorization(authorization);
        using var response = await client.GetAsync(UnleashClient.TokensPath);
        await UnleashAssert.BodyAsync(response, HttpStatusCode.Unauthorized, UnleashRecorded.Unauthorized);
    }

    [Fact]
    public async Task The_secret_works_raw_with_a_trailing_space_and_as_a_Bearer_token()
    {
        var (user, _) = await _factory.NewUserAsync();
        var secret = (await user.CreatePatAsync("ways-to-send"))["secret"]!.GetValue<string>();

        foreach (var authorization in new[] { secret, secret + " ", "Bearer " + secret })
        {
            var client = _factory.CreateClient().WithRawAuthorization(authorization);
            var pats = await client.ListPatsAsync();
            Assert.Equal("ways-to-send", Assert.Single(pats)!["description"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_PAT_can_manage_its_user_s_PATs_itself()
    {
        var (user, userId) = await _factory.NewUserAsync();
        var secret = (await user.CreatePatAsync("automation"))["secret"]!.GetValue<string>();
        var withPat = _factory.CreateClient().WithRawAuthorization(secret);

        var child = await withPat.CreatePatAsync("made-by-a-pat");

        Assert.Equal(userId, child["userId"]!.GetValue<long>());
        using var deleted = await withPat.DeleteAsync($"{UnleashClient.TokensPath}/{child["id"]}");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
    }

    [Fact]
    public async Task SeenAt_is_null_until_the_PAT_is_used_and_then_tells_when()
    {
        var (user, _) = await _factory.NewUserAsync();
        var pat = await user.CreatePatAsync("watched");
        Assert.Null(Assert.Single(await user.ListPatsAsync())!["seenAt"]);

        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        using (var used = await _factory.CreateClient().WithRawAuthorization(pat["secret"]!.GetValue<string>()).GetAsync(UnleashClient.TokensPath))
        {
            Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        }

        var seenAt = Assert.Single(await user.ListPatsAsync())!["seenAt"];
        UnleashAssert.IsoInstant(seenAt);
        Assert.InRange(DateTimeOffset.Parse(seenAt!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), before, DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task A_token_without_read_api_gets_Unleash_s_403_on_the_list()
    {
        var admin = await _factory.AdminAsync();
        var narrow = await admin.CreateTokenAsync(new { name = $"user-only-{Guid.NewGuid():N}", scopes = new[] { "read_user" } });
        var client = _factory.CreateClient().WithRawAuthorization(narrow["token"]!.GetValue<string>());

        using var response = await client.GetAsync(UnleashClient.TokensPath);

        await UnleashAssert.BodyAsync(
            response,
            HttpStatusCode.Forbidden,
            """{"id":"*","name":"NoAccessError","message":"You don't have the required permissions to perform this operation. To perform this action, you need the \"read_api\" permission.","details":[{"message":"You don't have the required permissions to perform this operation. To perform this action, you need the \"read_api\" permission."}],"permissions":["read_api"]}""");
    }

    [Fact]
    public async Task A_read_only_token_may_list_but_not_create_or_delete()
    {
        var (user, _) = await _factory.NewUserAsync();
        var pat = await user.CreatePatAsync("target");
        var readOnly = await user.CreateTokenAsync(new { name = "reader", scopes = new[] { "read_api" } });
        var client = _factory.CreateClient().WithRawAuthorization(readOnly["token"]!.GetValue<string>());

        Assert.Equal(2, (await client.ListPatsAsync()).Count);
        const string needsApi =
            """{"id":"*","name":"NoAccessError","message":"You don't have the required permissions to perform this operation. To perform this action, you need the \"api\" permission.","details":[{"message":"You don't have the required permissions to perform this operation. To perform this action, you need the \"api\" permission."}],"permissions":["api"]}""";
        using (var create = await client.PostPatAsync($$"""{"description":"nope","expiresAt":"{{UnleashClient.FutureExpiry}}"}"""))
        {
            await UnleashAssert.BodyAsync(create, HttpStatusCode.Forbidden, needsApi);
        }

        using (var delete = await client.DeleteAsync($"{UnleashClient.TokensPath}/{pat["id"]}"))
        {
            await UnleashAssert.BodyAsync(delete, HttpStatusCode.Forbidden, needsApi);
        }

        Assert.Equal(2, (await user.ListPatsAsync()).Count);
    }

    [Fact]
    public async Task A_token_narrower_than_its_user_cannot_mint_a_full_rights_PAT()
    {
        var (user, _) = await _factory.NewUserAsync();
        var apiOnly = await user.CreateTokenAsync(new { name = "api-only", scopes = new[] { "api" } });
        var client = _factory.CreateClient().WithRawAuthorization(apiOnly["token"]!.GetValue<string>());

        using var response = await client.PostPatAsync($$"""{"description":"escalate","expiresAt":"{{UnleashClient.FutureExpiry}}"}""");

        await UnleashAssert.BodyAsync(
            response,
            HttpStatusCode.Forbidden,
            """{"name":"OperationDeniedError","message":"A PAT has all of its user's rights, so only a credential with all of them (a session or another PAT) can create one.","details":[{"message":"A PAT has all of its user's rights, so only a credential with all of them (a session or another PAT) can create one."}]}""");
        Assert.Single(await user.ListPatsAsync());
    }

    [Fact]
    public async Task Secrets_never_reach_the_logs()
    {
        var (user, _) = await _factory.NewUserAsync();
        var secret = (await user.CreatePatAsync("quiet"))["secret"]!.GetValue<string>();
        using (var used = await _factory.CreateClient().WithRawAuthorization(secret).GetAsync(UnleashClient.TokensPath))
        {
            Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        }

        Assert.DoesNotContain(secret, _factory.Logs.AllText);
    }

    // Text as it appears inside a JSON string, escaped as JSON.stringify escapes it.
    private static string InJsonString(string text) => System.Text.Json.JsonSerializer.Serialize(text, NodeJson)[1..^1];
}

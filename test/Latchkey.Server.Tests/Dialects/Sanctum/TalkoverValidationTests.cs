using System.Net;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.Sanctum;

/// <summary>Bad create requests get Laravel's 422 with its exact messages, and create nothing.</summary>
[Collection(TalkoverServer.Name)]
public sealed class TalkoverValidationTests
{
    private const string NameRequired = """{"message":"The name field is required.","errors":{"name":["The name field is required."]}}""";

    private readonly LatchkeyServerFactory _factory;

    public TalkoverValidationTests(LatchkeyServerFactory factory) => _factory = factory;

    public static TheoryData<string, string, string> Cases => new()
    {
        // body, content type, the whole expected 422 body
        { "{}", "application/json", NameRequired },
        { """{"name":null}""", "application/json", NameRequired },
        { """{"name":""}""", "application/json", NameRequired },
        { """{"name":"   "}""", "application/json", NameRequired },
        { """{"name":[]}""", "application/json", NameRequired },
        { """{"Name":"CI"}""", "application/json", NameRequired },
        // Laravel reads a body that is not JSON, or not an object, as no input at all.
        { """{"name": "CI",""", "application/json", NameRequired },
        { "not json", "application/json", NameRequired },
        { "[]", "application/json", NameRequired },
        { "\"CI\"", "application/json", NameRequired },
        { "null", "application/json", NameRequired },
        { "", "application/json", NameRequired },
        { """{"name":"CI"}""", "text/plain", NameRequired },
        { """{"name":123}""", "application/json", """{"message":"The name field must be a string.","errors":{"name":["The name field must be a string."]}}""" },
        { """{"name":true}""", "application/json", """{"message":"The name field must be a string.","errors":{"name":["The name field must be a string."]}}""" },
        { """{"name":{"a":1}}""", "application/json", """{"message":"The name field must be a string.","errors":{"name":["The name field must be a string."]}}""" },
        { $$"""{"name":"{{new string('x', 256)}}"}""", "application/json", """{"message":"The name field must not be greater than 255 characters.","errors":{"name":["The name field must not be greater than 255 characters."]}}""" },
        { """{"name":"bell\u0007"}""", "application/json", """{"message":"The name field format is invalid.","errors":{"name":["The name field format is invalid."]}}""" },
        { """{"name":"CI","abilities":"*"}""", "application/json", """{"message":"The abilities field must be an array.","errors":{"abilities":["The abilities field must be an array."]}}""" },
        { """{"name":"CI","abilities":{"0":"*"}}""", "application/json", """{"message":"The abilities field must be an array.","errors":{"abilities":["The abilities field must be an array."]}}""" },
        { """{"name":"CI","abilities":7}""", "application/json", """{"message":"The abilities field must be an array.","errors":{"abilities":["The abilities field must be an array."]}}""" },
        { """{"name":"CI","abilities":[]}""", "application/json", """{"message":"The abilities field must have at least 1 items.","errors":{"abilities":["The abilities field must have at least 1 items."]}}""" },
        { """{"name":"CI","abilities":["*",5]}""", "application/json", """{"message":"The abilities.1 field must be a string.","errors":{"abilities.1":["The abilities.1 field must be a string."]}}""" },
        { """{"name":"CI","abilities":["server:update"]}""", "application/json", """{"message":"The selected abilities.0 is invalid.","errors":{"abilities.0":["The selected abilities.0 is invalid."]}}""" },
        { """{"name":"CI","abilities":["read_api",""]}""", "application/json", """{"message":"The abilities.1 field must be a string.","errors":{"abilities.1":["The abilities.1 field must be a string."]}}""" },
        { """{"abilities":"*"}""", "application/json", """{"message":"The name field is required. (and 1 more error)","errors":{"name":["The name field is required."],"abilities":["The abilities field must be an array."]}}""" },
        { """{"name":5,"abilities":["nope",null,"read_api"]}""", "application/json", """{"message":"The name field must be a string. (and 2 more errors)","errors":{"name":["The name field must be a string."],"abilities.0":["The selected abilities.0 is invalid."],"abilities.1":["The abilities.1 field must be a string."]}}""" },
        { "abilities[]=read_api", "application/x-www-form-urlencoded", NameRequired },
        { "name=CI&abilities[]=nope", "application/x-www-form-urlencoded", """{"message":"The selected abilities.0 is invalid.","errors":{"abilities.0":["The selected abilities.0 is invalid."]}}""" },
        { "name=CI&abilities=read_api", "application/x-www-form-urlencoded", """{"message":"The abilities field must be an array.","errors":{"abilities":["The abilities field must be an array."]}}""" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_bad_create_request_answers_422_in_laravels_shape_and_creates_nothing(string body, string contentType, string expected)
    {
        var admin = await _factory.AdminAsync();
        var before = (await admin.ListApiTokensAsync()).Count;

        using var response = await admin.PostAsync(TalkoverClient.Path, TalkoverClient.Json(body, contentType));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(JsonNode.Parse(expected)!.ToJsonString(), await response.BodyAsync());
        Assert.Equal(before, (await admin.ListApiTokensAsync()).Count);
    }

    [Fact]
    public async Task A_name_of_exactly_255_characters_is_accepted_and_surrounding_spaces_are_trimmed()
    {
        var admin = await _factory.AdminAsync();
        var longest = new string('n', 255);

        var created = await admin.CreateApiTokenAsync(new { name = longest });
        var trimmed = await admin.CreateApiTokenAsync(new { name = "  Local Dev \t" });

        Assert.Equal(longest, created["name"]!.GetValue<string>());
        Assert.Equal("Local Dev", trimmed["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Administrator_only_scopes_are_an_invalid_ability_for_other_users_but_not_for_administrators()
    {
        var admin = await _factory.AdminAsync();
        var erin = await _factory.NewUserAsync(admin, "erin");

        using var refused = await erin.PostAsync(TalkoverClient.Path, TalkoverClient.Json("""{"name":"root","abilities":["read_api","sudo"]}"""));
        var granted = await admin.CreateApiTokenAsync(new { name = "root", abilities = new[] { "sudo" } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("""{"message":"The selected abilities.1 is invalid.","errors":{"abilities.1":["The selected abilities.1 is invalid."]}}""", await refused.BodyAsync());
        Assert.Empty(await erin.ListApiTokensAsync());
        Assert.Equal(["sudo"], granted["abilities"]!.AsArray().Select(a => a!.GetValue<string>()));
    }

    [Fact]
    public async Task A_form_post_is_read_as_laravel_reads_it()
    {
        var admin = await _factory.AdminAsync();

        using var response = await admin.PostAsync(TalkoverClient.Path, TalkoverClient.Json("name=Form+Post&abilities[]=read_api&abilities[]=read_user", "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var data = (await response.JsonAsync())!["data"]!;
        Assert.Equal("Form Post", data["name"]!.GetValue<string>());
        Assert.Equal(["read_api", "read_user"], data["abilities"]!.AsArray().Select(a => a!.GetValue<string>()));
    }

    [Fact]
    public async Task Null_abilities_are_the_default_and_repeated_abilities_are_kept_once()
    {
        var admin = await _factory.AdminAsync();

        var nullAbilities = await admin.CreateApiTokenAsync(JsonNode.Parse("""{"name":"null abilities","abilities":null}""")!);
        var repeated = await admin.CreateApiTokenAsync(new { name = "repeated", abilities = new[] { "read_api", " read_api " } });

        Assert.Equal(["*"], nullAbilities["abilities"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(["read_api"], repeated["abilities"]!.AsArray().Select(a => a!.GetValue<string>()));
    }

    [Fact]
    public async Task A_repeated_json_field_takes_its_last_value_as_php_does()
    {
        var admin = await _factory.AdminAsync();

        using var response = await admin.PostAsync(TalkoverClient.Path, TalkoverClient.Json("""{"name":"first","name":"second"}"""));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("second", (await response.JsonAsync())!["data"]!["name"]!.GetValue<string>());
    }
}

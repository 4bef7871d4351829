using System.Net;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Hosting;

/// <summary>
/// <c>/openapi/v1.json</c> against the server itself: every operation in it is called for real (see
/// <see cref="OpenApiExamples"/>), and every answer must be one the document declares for that operation, in the
/// declared content type and with the declared schema's required properties and types.
/// </summary>
public sealed class OpenApiDocumentTests : IClassFixture<OpenApiServer>
{
    private static readonly HashSet<string> Anonymous = new(StringComparer.Ordinal) { "SignIn", "SailPointOAuthToken", "OAuthRevoke" };

    private readonly OpenApiServer _factory;

    public OpenApiDocumentTests(OpenApiServer factory) => _factory = factory;

    public static TheoryData<string> OperationIds => [.. OpenApiExamples.ByOperation.Keys.Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Every_operation_in_the_document_has_examples_and_every_example_an_operation()
    {
        var documented = Operations(await DocumentAsync()).Select(o => o.Id).ToHashSet();

        Assert.Empty(documented.Except(OpenApiExamples.ByOperation.Keys).Order());
        Assert.Empty(OpenApiExamples.ByOperation.Keys.Except(documented).Order());
    }

    [Theory]
    [MemberData(nameof(OperationIds))]
    public async Task Every_answer_of_an_operation_is_documented_with_its_content_type_and_schema(string operationId)
    {
        var document = await DocumentAsync();
        var operation = Operations(document).Single(o => o.Id == operationId).Operation;
        var client = _factory.CreateClient();
        var context = new OpenApiExamples.Context(client, await _factory.AdminSessionAsync(), await _factory.CreateUserAsync());
        var examples = (await OpenApiExamples.ByOperation[operationId](context)).ToList();
        if (!Anonymous.Contains(operationId))
        {
            examples.Add(examples[0].WithoutCredential());
        }

        var answered = new List<int>();
        foreach (var example in examples)
        {
            using var request = example.ToRequest();
            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            answered.Add(status);
            var text = await response.Content.ReadAsStringAsync();
            var documentedResponse = operation["responses"]?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)];
            Assert.True(documentedResponse is not null, $"{operationId}: {example} answered {status}, which the document does not list ({string.Join(", ", operation["responses"]!.AsObject().Select(r => r.Key))}): {text}");

            var content = documentedResponse["content"]?.AsObject();
            if (content is null || content.Count == 0)
            {
                Assert.True(text.Length == 0, $"{operationId}: {example} answered {status} with a body the document does not describe: {text}");
                continue;
            }

            var mediaType = response.Content.Headers.ContentType?.MediaType;
            Assert.True(mediaType is not null && content.ContainsKey(mediaType), $"{operationId}: {example} answered {status} as {mediaType}; the document says {string.Join(", ", content.Select(c => c.Key))}");
            var problems = new OpenApiSchemaChecker(document).Check(JsonNode.Parse(text), content[mediaType]!["schema"]);
            Assert.True(problems.Count == 0, $"{operationId}: {example} answered {status} with {text}\n{string.Join("\n", problems)}");
        }

        Assert.True(answered.Any(s => s is >= 200 and < 300), $"{operationId}: no example succeeded ({string.Join(", ", answered)})");
        Assert.True(answered.Any(s => s is >= 400 and < 500), $"{operationId}: no example failed ({string.Join(", ", answered)})");
    }

    [Fact]
    public async Task Operations_that_take_a_body_document_it()
    {
        // Actions named by their path, as GitLab's POST /users/:id/block, take no body at all.
        string[] actions = ["BlockUser", "UnblockUser", "StartTwoFactorEnrolment"];
        var withoutBody = Operations(await DocumentAsync())
            .Where(o => o.Method is "post" or "put" or "patch" && !actions.Contains(o.Id)
                && (o.Operation["requestBody"]?["content"] is not JsonObject { Count: > 0 } content || content.Any(c => c.Value?["schema"] is null)))
            .Select(o => o.Id);

        Assert.Empty(withoutBody);
    }

    [Fact]
    public async Task Operations_that_need_a_credential_name_the_schemes_and_anonymous_ones_do_not()
    {
        var document = await DocumentAsync();
        var schemes = document["components"]!["securitySchemes"]!.AsObject();
        Assert.Equal("http", schemes["Bearer"]!["type"]!.GetValue<string>());
        Assert.Equal("bearer", schemes["Bearer"]!["scheme"]!.GetValue<string>());
        Assert.Equal("PRIVATE-TOKEN", schemes["PrivateToken"]!["name"]!.GetValue<string>());
        Assert.Equal("header", schemes["PrivateToken"]!["in"]!.GetValue<string>());
        Assert.Equal("basic", schemes["Basic"]!["scheme"]!.GetValue<string>());

        foreach (var (id, _, operation) in Operations(document))
        {
            var named = operation["security"]?.AsArray().SelectMany(r => r!.AsObject().Select(s => s.Key)).ToList() ?? [];
            if (Anonymous.Contains(id))
            {
                Assert.True(named.Count == 0, $"{id} is anonymous but asks for {string.Join(", ", named)}");
            }
            else
            {
                Assert.Contains("Bearer", named);
                Assert.All(named, name => Assert.True(schemes.ContainsKey(name), $"{id} names the undeclared scheme {name}"));
            }
        }
    }

    [Theory]
    [InlineData("OAuthIntrospect")]
    [InlineData("OAuthRevoke")]
    public async Task The_oauth_forms_require_the_token_and_leave_the_hint_optional(string operationId)
    {
        var operation = Operations(await DocumentAsync()).Single(o => o.Id == operationId).Operation;
        var schema = operation["requestBody"]!["content"]!["application/x-www-form-urlencoded"]!["schema"]!;

        Assert.Equal(["token"], schema["required"]!.AsArray().Select(name => name!.GetValue<string>()));
    }

    [Theory]
    [InlineData("CreateToken", "Needs a token with the `api` scope")]
    [InlineData("ListTokens", "Needs a token with the `read_api` scope")]
    [InlineData("GitLabRotateCurrentPersonalAccessToken", "Needs a token with the `self_rotate` scope")]
    [InlineData("CreateUser", "Administrators only.")]
    [InlineData("BlockUser", "Administrators only.")]
    [InlineData("ChangePassword", "Needs a token with the `api` scope")]
    [InlineData("GetUser", "Needs a token with the `read_user` scope")]
    [InlineData("GitLabCreatePersonalAccessToken", "Administrators only.")]
    [InlineData("ResetTwoFactor", "Administrators only.")]
    public async Task Each_authenticated_operation_says_which_scope_or_role_it_needs(string operationId, string expected)
    {
        var operation = Operations(await DocumentAsync()).Single(o => o.Id == operationId).Operation;

        Assert.Contains(expected, operation["description"]?.GetValue<string>() ?? string.Empty);
    }

    [Fact]
    public async Task The_docs_page_is_still_served()
    {
        using var response = await _factory.CreateClient().GetAsync("/docs/index.html");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("swagger-ui", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    private Task<JsonObject> DocumentAsync() => _factory.DocumentAsync();

    private static IEnumerable<(string Id, string Method, JsonObject Operation)> Operations(JsonObject document)
        => document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Where(entry => entry.Key is "get" or "post" or "put" or "patch" or "delete")
            .Select(entry => (entry.Value!["operationId"]!.GetValue<string>(), entry.Key, entry.Value!.AsObject())));
}

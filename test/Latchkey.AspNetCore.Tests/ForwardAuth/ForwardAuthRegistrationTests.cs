using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.AspNetCore.Tests.ForwardAuth;

/// <summary>Mapping forward-auth without what it needs says what to call, when the app is put together.</summary>
public sealed class ForwardAuthRegistrationTests
{
    [Fact]
    public async Task Mapping_it_without_AddLatchkeyForwardAuth_says_to_call_it()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddLatchkey();
        await using var app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapLatchkeyForwardAuth());
        Assert.Contains("AddLatchkeyForwardAuth()", error.Message);
    }

    [Fact]
    public async Task Mapping_it_without_the_Latchkey_scheme_says_to_add_it()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddLatchkeyEngine();
        builder.Services.AddLatchkeyForwardAuth();
        await using var app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapLatchkeyForwardAuth());
        Assert.Contains("AddLatchkey()", error.Message);
    }
}

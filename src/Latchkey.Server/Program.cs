using Latchkey.Server.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddLatchkeyServer();

var app = builder.Build();
app.UseLatchkeyServer();
await app.InitializeLatchkeyAsync();
await app.RunAsync();

/// <summary>The entry point, visible to WebApplicationFactory.</summary>
public partial class Program;

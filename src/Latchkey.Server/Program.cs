using Latchkey.Server.Hosting;

return await ServerProgram.RunAsync(args, Console.Error);

/// <summary>The entry point, visible to WebApplicationFactory.</summary>
public partial class Program;

using System.Security.Cryptography;
using Latchkey.Stores;
using Latchkey.Users;

namespace Latchkey.Server.Users;

/// <summary>
/// On first start, when the store has no users, creates the administrator <c>admin</c> with the password in
/// <c>LATCHKEY_ADMIN_PASSWORD</c>, or a generated one printed once to the console (as GitLab does for root).
/// </summary>
/// <remarks>
/// It runs once the server is listening (<see cref="StartedAsync"/>: after Kestrel has bound its addresses, before
/// the host reports itself started), so a first start that fails — say, the port is taken — creates no
/// administrator, and the next start prints the generated password again rather than leaving it behind in the
/// output of the failed one.
/// </remarks>
internal sealed partial class AdminBootstrapper : IHostedLifecycleService
{
    public const string PasswordVariable = "LATCHKEY_ADMIN_PASSWORD";
    public const string AdminUsername = "admin";

    private readonly IUserStore _users;
    private readonly UserManager _manager;
    private readonly IConfiguration _configuration;
    private readonly ILogger<AdminBootstrapper> _logger;

    public AdminBootstrapper(IUserStore users, UserManager manager, IConfiguration configuration, ILogger<AdminBootstrapper> logger)
    {
        _users = users;
        _manager = manager;
        _configuration = configuration;
        _logger = logger;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => EnsureAdministratorAsync(cancellationToken);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task EnsureAdministratorAsync(CancellationToken cancellationToken)
    {
        if (await _users.CountAsync(cancellationToken) > 0)
        {
            return;
        }

        var configured = _configuration[PasswordVariable];
        var password = string.IsNullOrEmpty(configured) ? GeneratePassword() : configured;
        var request = new CreateUserRequest { Username = AdminUsername, Password = password, Name = "Administrator", IsAdmin = true };
        var created = await _manager.CreateAsync(TokenActor.System, request, cancellationToken);
        if (!created.Succeeded)
        {
            if (created.Error.Code == TokenErrorCode.NameTaken)
            {
                return; // another node created it first
            }

            throw new InvalidOperationException($"{PasswordVariable} is not usable: {created.Error.Message} ({created.Error.Field})");
        }

        LogCreated(AdminUsername);
        if (string.IsNullOrEmpty(configured))
        {
            // Straight to the console, not through logging, so log shipping never carries it.
            // One write: the console logger prints from its own thread, and a log line between the heading and the
            // password would separate them.
            Console.Out.Write($"{Environment.NewLine}Latchkey created the administrator '{AdminUsername}' with this password (shown once; set {PasswordVariable} to choose it):{Environment.NewLine}    {password}{Environment.NewLine}{Environment.NewLine}");
        }
    }

    /// <summary>24 characters without look-alikes (0/O, 1/l/I): about 140 bits, and easy to copy from a console.</summary>
    public static string GeneratePassword() => RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789", 24);

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Created the initial administrator '{Username}'")]
    private partial void LogCreated(string username);
}

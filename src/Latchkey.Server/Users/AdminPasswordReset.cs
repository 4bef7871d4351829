using System.Security.Cryptography;
using Latchkey.Server.Hosting;
using Latchkey.Stores;
using Latchkey.Users;

namespace Latchkey.Server.Users;

/// <summary>
/// <c>reset-admin-password</c>: gives the administrator <c>admin</c> a new password — <c>LATCHKEY_ADMIN_PASSWORD</c>
/// if set, otherwise a generated one printed once — and ends its sessions. For an operator who lost the password;
/// it needs what the server needs (the same settings, the database and the key file), not a signed-in user.
/// </summary>
internal sealed partial class AdminPasswordReset
{
    public const string CommandName = "reset-admin-password";

    private readonly IUserStore _users;
    private readonly UserManager _manager;
    private readonly IConfiguration _configuration;
    private readonly ILogger<AdminPasswordReset> _logger;

    public AdminPasswordReset(IUserStore users, UserManager manager, IConfiguration configuration, ILogger<AdminPasswordReset> logger)
    {
        _users = users;
        _manager = manager;
        _configuration = configuration;
        _logger = logger;
    }

    public async Task ResetAsync(CancellationToken cancellationToken)
    {
        var admin = await _users.FindByUsernameAsync(AdminBootstrapper.AdminUsername, cancellationToken)
            ?? throw new StartupFailure($"there is no user '{AdminBootstrapper.AdminUsername}' in this database (it is created on the server's first start).");

        var configured = _configuration[AdminBootstrapper.PasswordVariable];
        var password = string.IsNullOrEmpty(configured) ? AdminBootstrapper.GeneratePassword() : configured;
        var reset = await _manager.ResetPasswordAsync(TokenActor.System, admin.Id, password, cancellationToken);
        if (!reset.Succeeded)
        {
            throw new StartupFailure(reset.Error.Message);
        }

        var ended = reset.Value;
        LogReset(admin.Username, ended);

        // Straight to the console, not through logging, so log shipping never carries it.
        Console.WriteLine();
        if (string.IsNullOrEmpty(configured))
        {
            // One write, so no log line lands between the heading and the password.
            Console.Out.Write($"Latchkey gave the administrator '{admin.Username}' this new password (shown once) and ended its {ended} session(s):{Environment.NewLine}    {password}{Environment.NewLine}");
        }
        else
        {
            Console.WriteLine($"Latchkey set the password of '{admin.Username}' from {AdminBootstrapper.PasswordVariable} and ended its {ended} session(s).");
        }

        Console.WriteLine();
    }

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Reset the password of '{Username}' from the command line and ended {Sessions} session(s)")]
    private partial void LogReset(string username, int sessions);
}

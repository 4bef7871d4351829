namespace Latchkey.Server.Tests.Infrastructure;

/// <summary>
/// A test class that spends seconds per test on another process (the real server, node, curl). Such classes start
/// before the rest (see <see cref="LongRunningFirstOrderer"/>). Inherited, so a base class can carry it.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class LongRunningAttribute : Attribute;

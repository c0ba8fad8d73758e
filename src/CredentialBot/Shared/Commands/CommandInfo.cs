namespace CredentialBot.Shared.Commands;

/// <summary>A command as people see it: its name, how to call it, what it does, and whether only admins may.</summary>
/// <param name="Name">The command name, possibly several words (e.g. "my apps"); matched case-insensitively.</param>
/// <param name="Usage">How to call it, e.g. "status *app name or appId*".</param>
/// <param name="Description">One sentence for the help card and the manifest.</param>
/// <param name="AdminOnly">Anyone else is refused politely, and the attempt is audited.</param>
/// <param name="ScopedAdmins">With <paramref name="AdminOnly"/>: scoped admins may run it too, and it keeps to their scopes.</param>
public sealed record CommandInfo(string Name, string Usage, string Description, bool AdminOnly = false, bool ScopedAdmins = false);

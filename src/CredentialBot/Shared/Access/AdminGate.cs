using CredentialBot.Domain;
using CredentialBot.Shared.Audit;

namespace CredentialBot.Shared.Access;

/// <summary>What only admins may do: anyone else is refused, and the attempt is audited under the command's name.</summary>
public sealed class AdminGate(AuditTrail audit)
{
    public const string NotAnAdmin = "Not a CredentialBot admin";

    /// <summary>True when <paramref name="who"/> is an admin; otherwise records the refusal and answers false.</summary>
    public async Task<bool> AllowsAsync(Principal who, string command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(who);
        if (who.IsAdmin)
        {
            return true;
        }

        await audit.RefusedAsync(who, null, AuditOperation.AdminCommand(command), NotAnAdmin, cancellationToken);
        return false;
    }
}

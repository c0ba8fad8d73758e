using CredentialBot.Domain;
using CredentialBot.Shared.Access.Scopes;
using CredentialBot.Shared.Audit;

namespace CredentialBot.Shared.Access;

/// <summary>What only admins may do: anyone else is refused, and the attempt is audited under the command's name.</summary>
public sealed class AdminGate(AuditTrail audit, AdminScopeResolver scopes)
{
    public const string NotAnAdmin = "Not a CredentialBot admin";

    /// <summary>
    /// True when <paramref name="who"/> is an admin, or (when <paramref name="scopedAdmins"/>) administers some scope, the
    /// command then keeping to the person's scopes; otherwise records the refusal and answers false.
    /// </summary>
    public async Task<bool> AllowsAsync(Principal who, string command, CancellationToken cancellationToken, bool scopedAdmins = false)
    {
        ArgumentNullException.ThrowIfNull(who);
        if (who.IsAdmin || (scopedAdmins && (await scopes.ScopesOfAsync(who, cancellationToken)).Count > 0))
        {
            return true;
        }

        await audit.RefusedAsync(who, null, AuditOperation.AdminCommand(command), NotAnAdmin, cancellationToken);
        return false;
    }
}

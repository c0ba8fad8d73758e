using System.Text.Json;

namespace CredentialBot.Simulator;

public sealed partial class GraphDispatcher
{
    /// <summary>An owner: a user, or a service principal ("the associated service principal, or another service principal").</summary>
    private sealed record OwnerEntry(SimUser? User, SimObject? ServicePrincipal);

    private List<OwnerEntry> OwnersOf(SimObject target) =>
        [.. target.OwnerIds.ToList()
            .Select(id => tenant.FindUser(id) is { } user ? new OwnerEntry(user, null) : tenant.Find(id) is { Kind: SimObjectKind.ServicePrincipal } sp ? new OwnerEntry(null, sp) : null)
            .OfType<OwnerEntry>()];

    private static void WriteOwner(Utf8JsonWriter w, OwnerEntry owner, IEnumerable<string> fields)
    {
        if (owner.User is { } user)
        {
            WriteUser(w, user, fields, directoryObject: true);
            return;
        }

        var sp = owner.ServicePrincipal!;
        w.WriteStartObject();
        w.WriteString("@odata.type", "#microsoft.graph.servicePrincipal");
        w.WriteString("id", sp.Id);
        foreach (var field in fields)
        {
            switch (field)
            {
                case "displayName":
                    w.WriteString("displayName", sp.DisplayName);
                    break;
                case "appId":
                    w.WriteString("appId", sp.AppId);
                    break;
                case "accountEnabled":
                    w.WriteBoolean("accountEnabled", true);
                    break;
                default:
                    break;
            }
        }

        w.WriteEndObject();
    }

    /// <summary>Graph's answer to a call the caller's permissions do not cover.</summary>
    private static GraphResponse InsufficientPrivileges() =>
        Error(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
}

using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using CredentialBot.Directory.Diagnostics;
using CredentialBot.Domain;
using Microsoft.Extensions.Logging;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;
using DomainApp = CredentialBot.Domain.App;
using Person = CredentialBot.Domain.Person;

namespace CredentialBot.Directory;

public sealed partial class GraphTenantDirectory
{
    /// <summary>One listed object as a Domain App; true when <c>$expand</c> stopped at its 20-owner cap.</summary>
    internal static (DomainApp App, bool OwnersCapped)? ReadListed(JsonElement item, AppKind kind)
    {
        if (String(item, "id") is not { } id)
        {
            return null;
        }

        var credentials = new List<Credential>();
        ReadCredentials(item, "passwordCredentials", CredentialKind.Secret, credentials);
        // A SAML app's signing certificate appears as several key credentials (sign + verify) with one keyId each;
        // each is its own credential to track.
        ReadCredentials(item, "keyCredentials", CredentialKind.Certificate, credentials);
        var expanded = 0;
        List<Owner> owners = item.TryGetProperty("owners", out var ownerArray) && ownerArray.ValueKind == JsonValueKind.Array
            ? ReadOwners(ownerArray, out expanded)
            : [];
        var tags = item.TryGetProperty("tags", out var tagArray) && tagArray.ValueKind == JsonValueKind.Array
            ? tagArray.EnumerateArray().Select(t => t.GetString()).OfType<string>().ToList()
            : [];
        var appId = String(item, "appId") ?? string.Empty;
        return (new DomainApp(id, appId, String(item, "displayName") ?? (appId.Length > 0 ? appId : id), kind, credentials, owners, tags), expanded >= ExpandedOwnerCap);
    }

    /// <summary>The users among directory objects (owners may also be service principals, which are not people).</summary>
    private static List<Owner> ReadOwners(JsonElement array, out int count)
    {
        count = 0;
        var owners = new List<Owner>();
        foreach (var owner in array.EnumerateArray())
        {
            count++;
            if (String(owner, "@odata.type") == "#microsoft.graph.user" && String(owner, "id") is { } ownerId)
            {
                var upn = String(owner, "userPrincipalName");
                var enabled = !owner.TryGetProperty("accountEnabled", out var e) || e.ValueKind != JsonValueKind.False;
                owners.Add(new Owner(OwnerKind.Entra, ownerId, String(owner, "displayName") ?? upn ?? ownerId, upn, enabled, Deleted: false, CanManageCredentials: true));
            }
        }

        return owners;
    }

    private static void ReadCredentials(JsonElement item, string property, CredentialKind kind, List<Credential> into)
    {
        if (!item.TryGetProperty(property, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var credential in array.EnumerateArray())
        {
            // A credential without an end date cannot expire and is not tracked.
            if (credential.TryGetProperty("endDateTime", out var end) && end.ValueKind == JsonValueKind.String && end.TryGetDateTimeOffset(out var endsAt))
            {
                DateTimeOffset? startsAt = credential.TryGetProperty("startDateTime", out var start) && start.ValueKind == JsonValueKind.String && start.TryGetDateTimeOffset(out var s) ? s : null;
                into.Add(new Credential(String(credential, "keyId") ?? string.Empty, kind, String(credential, "displayName"), startsAt, endsAt));
            }
        }
    }

    private static string? String(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Person ToPerson(User user) =>
        new(user.Id!, user.DisplayName ?? user.UserPrincipalName ?? user.Id!, user.UserPrincipalName, user.Mail, user.AccountEnabled ?? true);
}

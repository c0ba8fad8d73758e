using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace CredentialBot.Simulator;

public sealed partial class GraphDispatcher
{
    private GraphResponse AddOwner(string id, byte[]? body)
    {
        var target = tenant.Find(id);
        if (target is null)
        {
            return NotFound(id);
        }

        using var document = JsonDocument.Parse(body ?? []);
        var reference = document.RootElement.TryGetProperty("@odata.id", out var value) ? value.GetString() : null;
        var ownerId = reference?.Split('/').LastOrDefault();
        // Owners "can be individual users, the associated service principal, or another service principal".
        var newOwner = string.IsNullOrEmpty(ownerId) ? null : tenant.FindUser(ownerId)?.Id ?? (tenant.Find(ownerId) is { Kind: SimObjectKind.ServicePrincipal } sp ? sp.Id : null);
        if (newOwner is null)
        {
            return Error(404, "Request_ResourceNotFound", $"Resource '{ownerId}' does not exist or one of its queried reference-property objects are not present.");
        }

        // "Application.ReadWrite.OwnedBy isn't sufficient to add another owner. Consent also to
        // Application.ReadWrite.All" (learn.microsoft.com/graph/api/application-post-owners).
        var addsItself = string.Equals(newOwner, tenant.CallerServicePrincipalId, StringComparison.OrdinalIgnoreCase);
        if (!tenant.Grants("Application.ReadWrite.All", "Directory.ReadWrite.All") && !(addsItself && tenant.CallerMayWrite(target)))
        {
            return InsufficientPrivileges();
        }

        if (target.OwnerIds.Contains(newOwner, StringComparer.OrdinalIgnoreCase))
        {
            return Error(400, "Request_BadRequest", "One or more added object references already exist for the following modified properties: 'owners'.");
        }

        tenant.ChangeOwners(id, owners => owners.Add(newOwner));
        return new GraphResponse(204, null);
    }

    private GraphResponse RemoveOwner(string id, string ownerId)
    {
        var target = tenant.Find(id);
        if (target is null || !target.OwnerIds.Contains(ownerId, StringComparer.OrdinalIgnoreCase))
        {
            return NotFound(ownerId);
        }

        if (!tenant.CallerMayWrite(target))
        {
            return InsufficientPrivileges();
        }

        tenant.ChangeOwners(id, owners => owners.RemoveAll(x => string.Equals(x, ownerId, StringComparison.OrdinalIgnoreCase)));
        return new GraphResponse(204, null);
    }

    private GraphResponse AddPassword(string id, byte[]? body)
    {
        if (tenant.Find(id) is not { } target)
        {
            return NotFound(id);
        }

        if (!tenant.CallerMayWrite(target))
        {
            return InsufficientPrivileges();
        }

        string? displayName = null;
        DateTimeOffset? end = null;
        if (body is { Length: > 0 })
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("passwordCredential", out var credential) && credential.ValueKind == JsonValueKind.Object)
            {
                displayName = credential.TryGetProperty("displayName", out var n) ? n.GetString() : null;
                end = credential.TryGetProperty("endDateTime", out var e) && e.ValueKind == JsonValueKind.String ? e.GetDateTimeOffset() : null;
            }
        }

        var now = time.GetUtcNow();
        if (end is { } requested && requested <= now)
        {
            return Error(400, "Request_BadRequest", "endDateTime must be in the future.");
        }

        if (tenant.SecretLifetimeLimit is { } limit && (end ?? now.AddYears(2)) > now + limit + TimeSpan.FromMinutes(5))
        {
            return Error(400, "CredentialTypeNotAllowedAsPerAppPolicy", $"Password lifetime exceeds the max allowed by the app management policy ({limit.TotalDays:0} days).");
        }

        var added = tenant.AddPassword(id, displayName, end, now);
        if (added is not { } result)
        {
            return NotFound(id);
        }

        return Json(w =>
        {
            w.WriteString("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.passwordCredential");
            WriteCredentialFields(w, result.Credential, password: true, secretText: result.SecretText);
        });
    }

    private GraphResponse RemovePassword(string id, byte[]? body)
    {
        using var document = JsonDocument.Parse(body ?? []);
        var keyId = document.RootElement.TryGetProperty("keyId", out var k) ? k.GetString() : null;
        var target = tenant.Find(id);
        if (target is null)
        {
            return NotFound(id);
        }

        if (!tenant.CallerMayWrite(target))
        {
            return InsufficientPrivileges();
        }

        if (keyId is null || !target.PasswordCredentials.Any(c => string.Equals(c.KeyId, keyId, StringComparison.OrdinalIgnoreCase)))
        {
            return Error(400, "Request_BadRequest", $"No password credential found with keyId {keyId}.");
        }

        tenant.Modify(id, o => o.PasswordCredentials.RemoveAll(c => string.Equals(c.KeyId, keyId, StringComparison.OrdinalIgnoreCase)));
        return new GraphResponse(204, null);
    }

    private GraphResponse CheckMemberGroups(string who, byte[]? body)
    {
        if (tenant.FindUser(who) is not { } user)
        {
            return NotFound(who);
        }

        using var document = JsonDocument.Parse(body ?? []);
        if (!document.RootElement.TryGetProperty("groupIds", out var ids) || ids.ValueKind != JsonValueKind.Array || ids.GetArrayLength() is 0 or > 20)
        {
            return Error(400, "Request_BadRequest", "groupIds must list 1 to 20 group ids.");
        }

        var member = ids.EnumerateArray().Select(i => i.GetString()).OfType<string>().Where(g => tenant.IsMember(user.Id, g)).ToList();
        return Json(w =>
        {
            w.WriteStartArray("value");
            foreach (var id in member)
            {
                w.WriteStringValue(id);
            }

            w.WriteEndArray();
        });
    }

    private GraphResponse RequestRoleAssignment(byte[]? body)
    {
        using var document = JsonDocument.Parse(body ?? []);
        var root = document.RootElement;
        string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var action = Text(root, "action");
        var principal = Text(root, "principalId");
        var role = Text(root, "roleDefinitionId");
        var scope = Text(root, "directoryScopeId");
        if (action is null || principal is null || role is null || scope is null || !root.TryGetProperty("scheduleInfo", out var schedule))
        {
            return Error(400, "BadRequest", "action, principalId, roleDefinitionId, directoryScopeId and scheduleInfo are required.");
        }

        if (tenant.FindUser(principal) is null || (scope != "/" && tenant.Find(scope.TrimStart('/')) is null))
        {
            return Error(400, "BadRequest", "The principal or the directory scope does not exist.");
        }

        var start = schedule.TryGetProperty("startDateTime", out var s) && s.ValueKind == JsonValueKind.String ? s.GetDateTimeOffset() : time.GetUtcNow();
        var duration = schedule.TryGetProperty("expiration", out var e) && Text(e, "duration") is { } d ? System.Xml.XmlConvert.ToTimeSpan(d) : TimeSpan.Zero;
        if (duration <= TimeSpan.Zero)
        {
            return Error(400, "BadRequest", "A time-bound assignment needs expiration.duration.");
        }

        var ticket = root.TryGetProperty("ticketInfo", out var t) && t.ValueKind == JsonValueKind.Object ? Text(t, "ticketNumber") : null;
        var request = new SimRoleAssignmentRequest(Guid.NewGuid().ToString(), action, principal, role, scope, start, duration, Text(root, "justification"), ticket);
        tenant.RecordRoleRequest(request);
        return Json(w =>
        {
            w.WriteString("id", request.Id);
            w.WriteString("status", "Provisioned");
            w.WriteString("action", action);
            w.WriteString("principalId", principal);
            w.WriteString("roleDefinitionId", role);
            w.WriteString("directoryScopeId", scope);
        }) with { Status = 201 };
    }
}

using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace CredentialBot.Simulator;

/// <summary>A simulated Graph answer: status, JSON body (or none) and headers.</summary>
public sealed record GraphResponse(int Status, byte[]? Body, IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>
/// Graph v1.0 semantics for the subset CredentialBot calls, independent of HTTP plumbing so that direct requests
/// and <c>$batch</c> share one implementation. Follows Graph's caps: <c>$top</c> ≤ 999, ≤ 100 with <c>$expand</c>,
/// at most 20 expanded owners, at most 20 requests per batch.
/// </summary>
public sealed partial class GraphDispatcher(SimulatorTenant tenant, TimeProvider time, GraphMeter? meter = null)
{
    public const int MaxPageSize = 999;
    public const int MaxPageSizeWithExpand = 100;
    public const int MaxExpandedOwners = 20;
    public const int MaxBatchRequests = 20;

    /// <summary>
    /// Values one <c>id in (…)</c> filter may list. Graph's filter documentation refers the limits of <c>in</c> and
    /// <c>eq</c> to its known issues; 15 is the figure reported for directory objects, so the Simulator refuses more.
    /// </summary>
    public const int MaxFilterValues = 15;

    private static readonly string[] DefaultOwnerFields = ["id", "displayName", "userPrincipalName", "mail", "accountEnabled"];

    /// <summary>
    /// Handles one request. <paramref name="path"/> is relative to <c>/v1.0/</c> (or <c>/beta/</c> when
    /// <paramref name="beta"/>); <paramref name="origin"/> builds links.
    /// </summary>
    public GraphResponse Dispatch(string method, string path, string query, byte[]? body, string origin, bool beta = false)
    {
        tenant.CountRequest();
        var q = QueryHelpers.ParseQuery(query);
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        if (meter is null || segments is ["$batch"])
        {
            return Route(method, segments, q, body, origin, beta);
        }

        if (meter.Admit(method, segments, q, out var cost) is { } throttled)
        {
            return throttled;
        }

        var response = Route(method, segments, q, body, origin, beta);
        return response with
        {
            Headers = new Dictionary<string, string>(response.Headers ?? new Dictionary<string, string>()) { ["x-ms-resource-unit"] = cost.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };
    }

    private GraphResponse Route(string method, string[] segments, Dictionary<string, StringValues> q, byte[]? body, string origin, bool beta)
    {
        try
        {
            return beta ? RouteBeta(method, segments, q) : (method.ToUpperInvariant(), segments) switch
            {
                ("POST", ["$batch"]) => Batch(body, origin),
                ("POST", ["applications"]) => CreateApplication(body),
                ("POST", ["servicePrincipals"]) => CreateServicePrincipal(body),
                ("PATCH", ["applications" or "servicePrincipals", var id]) => Update(KindOf(segments[0]), id, body),
                ("GET", ["applications" or "servicePrincipals"]) => List(KindOf(segments[0]), q, origin, segments[0]),
                ("GET", ["applications" or "servicePrincipals", "delta"]) => Delta(KindOf(segments[0]), q, origin, segments[0]),
                ("GET", [var one]) when AppIdAddress().Match(one) is { Success: true } m => GetByAppId(m, q),
                ("GET", ["applications" or "servicePrincipals", var id]) => GetObject(KindOf(segments[0]), id, q),
                ("GET", ["applications" or "servicePrincipals", var id, "owners"]) => ListOwners(id, q, origin, $"{segments[0]}/{Uri.EscapeDataString(id)}/owners"),
                ("POST", ["applications" or "servicePrincipals", var id, "owners", "$ref"]) => AddOwner(id, body),
                ("DELETE", ["applications" or "servicePrincipals", var id, "owners", var owner, "$ref"]) => RemoveOwner(id, owner),
                ("POST", ["applications" or "servicePrincipals", var id, "addPassword"]) => AddPassword(id, body),
                ("POST", ["applications" or "servicePrincipals", var id, "removePassword"]) => RemovePassword(id, body),
                ("GET", ["users", var who]) => GetUser(who, q),
                ("POST", ["users", var who, "checkMemberGroups"]) => CheckMemberGroups(who, body),
                ("POST", ["roleManagement", "directory", "roleAssignmentScheduleRequests"]) => RequestRoleAssignment(body),
                ("GET", ["policies", "defaultAppManagementPolicy"]) => DefaultAppManagementPolicy(),
                ("GET", ["policies", "authorizationPolicy"]) => AuthorizationPolicy(),
                ("GET", ["policies", "adminConsentRequestPolicy"]) => AdminConsentRequestPolicy(),
                ("GET", ["users"]) => ListUsers(q),
                _ => Error(404, "Request_ResourceNotFound", $"Resource not found for the segment '{string.Join('/', segments)}'."),
            };
        }
        catch (JsonException)
        {
            return Error(400, "BadRequest", "The request body is not valid JSON.");
        }
        catch (InvalidOperationException)
        {
            // A JSON value of the wrong kind (a number where Graph expects a string, say).
            return Error(400, "BadRequest", "The request body has a value of the wrong type.");
        }
    }

    private static SimObjectKind KindOf(string collection) => collection == "applications" ? SimObjectKind.Application : SimObjectKind.ServicePrincipal;

    private GraphResponse List(SimObjectKind kind, Dictionary<string, StringValues> q, string origin, string collection)
    {
        var (select, expandOwners, ownerSelect, error) = ParseShape(q);
        if (error is not null)
        {
            return error;
        }

        var top = ParseTop(q, expandOwners, out var topError);
        if (topError is not null)
        {
            return topError;
        }

        ObjectFilter? filter = null;
        if (q.TryGetValue("$filter", out var filterText))
        {
            filter = ParseFilter(filterText.ToString());
            if (filter is null)
            {
                return Error(400, "Request_UnsupportedQuery", "Unsupported filter: only \"appId eq '…'\", \"displayName eq '…'\", \"id eq '…'\" and \"id in ('…', …)\" are supported.");
            }

            if (filter.Ids is { Count: > MaxFilterValues } tooMany)
            {
                return Error(400, "Request_UnsupportedQuery", $"Too many values in the filter expression: {tooMany.Count}. At most {MaxFilterValues} are allowed.");
            }
        }

        var offset = q.TryGetValue("$skiptoken", out var skip) ? DecodeOffset(skip.ToString()) : 0;
        if (offset < 0)
        {
            return Error(400, "Request_BadRequest", "Invalid $skiptoken.");
        }

        var (page, next) = filter?.Ids is { } ids ? tenant.PageOf(kind, ids, offset, top) : tenant.Page(kind, offset, top, filter?.Matches);
        return Json(w =>
        {
            w.WriteString("@odata.context", $"{origin}/v1.0/$metadata#{collection}");
            if (next >= 0)
            {
                w.WriteString("@odata.nextLink", Link(origin, collection, q, "$skiptoken", EncodeOffset(next)));
            }

            w.WriteStartArray("value");
            foreach (var item in page)
            {
                WriteObject(w, item, select, expandOwners ? ownerSelect : null);
            }

            w.WriteEndArray();
        });
    }

    private GraphResponse Delta(SimObjectKind kind, Dictionary<string, StringValues> q, string origin, string collection)
    {
        // application: delta and servicePrincipal: delta document $select and $filter (by id) only; the delta overview
        // calls $expand unsupported for users and groups and says nothing of it for these, so it is refused here.
        if (q.ContainsKey("$expand"))
        {
            return Error(400, "Request_UnsupportedQuery", "$expand is not supported on delta.");
        }

        var (select, _, _, error) = ParseShape(q);
        if (error is not null)
        {
            return error;
        }

        long since;
        long snapshot;
        int offset;
        if (q.TryGetValue("$deltatoken", out var latest) && string.Equals(latest.ToString(), "latest", StringComparison.OrdinalIgnoreCase))
        {
            // Graph's "$deltatoken=latest": no objects, just a delta link from now on.
            var link = Link(origin, collection + "/delta", q, "$deltatoken", EncodeVersion(tenant.CurrentVersion), "$skiptoken");
            return Json(w =>
            {
                w.WriteString("@odata.context", $"{origin}/v1.0/$metadata#{collection}");
                w.WriteString("@odata.deltaLink", link);
                w.WriteStartArray("value");
                w.WriteEndArray();
            });
        }

        if (q.TryGetValue("$deltatoken", out var deltaToken))
        {
            since = DecodeVersion(deltaToken.ToString());
            if (since == -2)
            {
                return Error(410, "SyncStateNotFound", "The sync state is not known to this tenant. Resynchronize from scratch.");
            }

            if (since < 0)
            {
                return Error(400, "Request_BadRequest", "Invalid $deltatoken.");
            }

            if (since < tenant.OldestValidDeltaVersion)
            {
                return Error(410, "SyncStateNotFound", "The sync state generation is not valid any more. Resynchronize from scratch.");
            }

            snapshot = tenant.CurrentVersion;
            offset = 0;
        }
        else if (q.TryGetValue("$skiptoken", out var skipToken))
        {
            if (!TryDecodeDeltaPage(skipToken.ToString(), out since, out snapshot, out offset))
            {
                return Error(400, "Request_BadRequest", "Invalid $skiptoken.");
            }
        }
        else
        {
            since = 0;
            snapshot = tenant.CurrentVersion;
            offset = 0;
        }

        var (page, next) = tenant.Changes(kind, since, offset, MaxPageSizeWithExpand);
        return Json(w =>
        {
            w.WriteString("@odata.context", $"{origin}/v1.0/$metadata#{collection}");
            if (next >= 0)
            {
                w.WriteString("@odata.nextLink", Link(origin, collection + "/delta", q, "$skiptoken", EncodeDeltaPage(since, snapshot, next), "$deltatoken"));
            }
            else
            {
                w.WriteString("@odata.deltaLink", Link(origin, collection + "/delta", q, "$deltatoken", EncodeVersion(snapshot), "$skiptoken"));
            }

            w.WriteStartArray("value");
            foreach (var item in page)
            {
                if (item.Deleted)
                {
                    w.WriteStartObject();
                    w.WriteString("id", item.Id);
                    w.WriteStartObject("@removed");
                    w.WriteString("reason", "deleted");
                    w.WriteEndObject();
                    w.WriteEndObject();
                }
                else
                {
                    WriteObject(w, item, select, null);
                }
            }

            w.WriteEndArray();
        });
    }

    private GraphResponse GetObject(SimObjectKind kind, string id, Dictionary<string, StringValues> q)
    {
        var target = tenant.Find(id);
        return target is null || target.Kind != kind ? NotFound(id) : Single(target, q);
    }

    private GraphResponse GetByAppId(Match match, Dictionary<string, StringValues> q)
    {
        var target = tenant.FindByAppId(KindOf(match.Groups[1].Value), match.Groups[2].Value);
        return target is null ? NotFound(match.Groups[2].Value) : Single(target, q);
    }

    private GraphResponse Single(SimObject target, Dictionary<string, StringValues> q)
    {
        var (select, expandOwners, ownerSelect, error) = ParseShape(q);
        return error ?? Json(w => WriteObjectBody(w, target, select, expandOwners ? ownerSelect : null));
    }

    private GraphResponse ListOwners(string id, Dictionary<string, StringValues> q, string origin, string collection)
    {
        var target = tenant.Find(id);
        if (target is null)
        {
            return NotFound(id);
        }

        var fields = q.TryGetValue("$select", out var s) ? SplitSelect(s.ToString()) : null;
        var top = q.TryGetValue("$top", out var t) && int.TryParse(t, CultureInfo.InvariantCulture, out var n) ? Math.Clamp(n, 1, MaxPageSize) : 100;
        var offset = q.TryGetValue("$skiptoken", out var skip) ? DecodeOffset(skip.ToString()) : 0;
        var owners = OwnersOf(target);
        var page = owners.Skip(offset).Take(top).ToList();
        return Json(w =>
        {
            if (offset + page.Count < owners.Count)
            {
                w.WriteString("@odata.nextLink", Link(origin, collection, q, "$skiptoken", EncodeOffset(offset + page.Count)));
            }

            w.WriteStartArray("value");
            foreach (var owner in page)
            {
                WriteOwner(w, owner, fields ?? DefaultOwnerFields);
            }

            w.WriteEndArray();
        });
    }

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

    private GraphResponse GetUser(string who, Dictionary<string, StringValues> q)
    {
        var key = who.StartsWith("('", StringComparison.Ordinal) ? who.Trim('(', ')', '\'') : who;
        var user = tenant.FindUser(key);
        return user is null
            ? NotFound(key)
            : Json(w => WriteUserBody(w, user, q.TryGetValue("$select", out var s) ? SplitSelect(s.ToString()) : DefaultOwnerFields, directoryObject: false));
    }

    private GraphResponse ListUsers(Dictionary<string, StringValues> q)
    {
        var filter = q.TryGetValue("$filter", out var f) ? f.ToString() : null;
        List<SimUser> users;
        if (filter is not null && IdInFilter().Match(filter) is { Success: true } idIn)
        {
            var ids = FilterValue().Matches(idIn.Groups[1].Value).Select(m => m.Groups[1].Value.Replace("''", "'", StringComparison.Ordinal)).ToList();
            if (ids.Count > MaxFilterValues)
            {
                return Error(400, "Request_UnsupportedQuery", $"Too many values in the filter expression: {ids.Count}. At most {MaxFilterValues} are allowed.");
            }

            // Deleted users are not listed: they are in /directory/deletedItems until purged.
            users = [.. ids.Distinct(StringComparer.OrdinalIgnoreCase).Select(tenant.FindUser).OfType<SimUser>().Where(u => ids.Contains(u.Id, StringComparer.OrdinalIgnoreCase))];
        }
        else
        {
            var match = filter is null ? null : UserFilter().Match(filter);
            if (filter is not null && match is not { Success: true })
            {
                return Error(400, "Request_UnsupportedQuery", "Unsupported filter: only \"id in ('…', …)\", \"mail eq '…'\" and \"userPrincipalName eq '…'\" are supported.");
            }

            users = match is null
                ? tenant.Users.Take(100).ToList()
                : match.Groups[1].Value.Equals("mail", StringComparison.OrdinalIgnoreCase)
                    ? [.. new[] { tenant.FindUserByMail(match.Groups[2].Value.Replace("''", "'", StringComparison.Ordinal)) }.OfType<SimUser>()]
                    : [.. new[] { tenant.FindUser(match.Groups[2].Value.Replace("''", "'", StringComparison.Ordinal)) }.OfType<SimUser>()];
        }

        var fields = q.TryGetValue("$select", out var s) ? SplitSelect(s.ToString()) : DefaultOwnerFields;
        return Json(w =>
        {
            w.WriteStartArray("value");
            foreach (var user in users)
            {
                WriteUser(w, user, fields, directoryObject: false);
            }

            w.WriteEndArray();
        });
    }

    private GraphResponse Batch(byte[]? body, string origin)
    {
        using var document = JsonDocument.Parse(body ?? []);
        if (!document.RootElement.TryGetProperty("requests", out var requests) || requests.ValueKind != JsonValueKind.Array)
        {
            return Error(400, "BadRequest", "A batch needs a 'requests' array.");
        }

        if (requests.GetArrayLength() > MaxBatchRequests)
        {
            return Error(400, "BadRequest", $"A batch may contain at most {MaxBatchRequests} requests.");
        }

        var answers = new List<(string Id, GraphResponse Response)>();
        foreach (var request in requests.EnumerateArray())
        {
            var id = request.GetProperty("id").GetString() ?? string.Empty;
            var method = request.GetProperty("method").GetString() ?? "GET";
            var url = request.GetProperty("url").GetString() ?? "/";
            var questionMark = url.IndexOf('?', StringComparison.Ordinal);
            var path = questionMark < 0 ? url : url[..questionMark];
            var query = questionMark < 0 ? string.Empty : url[questionMark..];
            var innerBody = request.TryGetProperty("body", out var b) ? Encoding.UTF8.GetBytes(b.GetRawText()) : null;
            answers.Add((id, Dispatch(method, path, query, innerBody, origin, beta: false)));
        }

        return Json(w =>
        {
            w.WriteStartArray("responses");
            foreach (var (id, response) in answers)
            {
                w.WriteStartObject();
                w.WriteString("id", id);
                w.WriteNumber("status", response.Status);
                w.WriteStartObject("headers");
                w.WriteString("Content-Type", "application/json");
                foreach (var header in response.Headers ?? new Dictionary<string, string>())
                {
                    w.WriteString(header.Key, header.Value);
                }

                w.WriteEndObject();
                if (response.Body is { Length: > 0 } inner)
                {
                    w.WritePropertyName("body");
                    using var parsed = JsonDocument.Parse(inner);
                    parsed.RootElement.WriteTo(w);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    private static (HashSet<string>? Select, bool ExpandOwners, string[] OwnerSelect, GraphResponse? Error) ParseShape(Dictionary<string, StringValues> q)
    {
        HashSet<string>? select = q.TryGetValue("$select", out var s) ? [.. SplitSelect(s.ToString())] : null;
        if (!q.TryGetValue("$expand", out var expand))
        {
            return (select, false, DefaultOwnerFields, null);
        }

        var match = ExpandOwners().Match(expand.ToString());
        if (!match.Success)
        {
            return (select, false, DefaultOwnerFields, Error(400, "Request_UnsupportedQuery", "Only $expand=owners is supported."));
        }

        var ownerSelect = match.Groups[1].Success ? SplitSelect(match.Groups[1].Value) : DefaultOwnerFields;
        return (select, true, ownerSelect, null);
    }

    private static int ParseTop(Dictionary<string, StringValues> q, bool expand, out GraphResponse? error)
    {
        error = null;
        if (!q.TryGetValue("$top", out var raw))
        {
            return 100;
        }

        if (!int.TryParse(raw, CultureInfo.InvariantCulture, out var top) || top < 1 || top > MaxPageSize)
        {
            error = Error(400, "Request_UnsupportedQuery", $"Invalid page size specified: '{raw}'. Must be between 1 and {MaxPageSize} inclusive.");
            return 0;
        }

        if (expand && top > MaxPageSizeWithExpand)
        {
            error = Error(400, "Request_UnsupportedQuery", $"The maximum page size with $expand is {MaxPageSizeWithExpand}.");
            return 0;
        }

        return top;
    }

    /// <summary>What a listing's <c>$filter</c> keeps: a list of object ids (looked up, not scanned) or a predicate.</summary>
    private sealed record ObjectFilter(IReadOnlyList<string>? Ids, Func<SimObject, bool>? Matches);

    private static ObjectFilter? ParseFilter(string filter)
    {
        if (IdInFilter().Match(filter) is { Success: true } idIn)
        {
            return new ObjectFilter([.. FilterValue().Matches(idIn.Groups[1].Value).Select(m => m.Groups[1].Value.Replace("''", "'", StringComparison.Ordinal))], null);
        }

        var match = ObjectFilterExpression().Match(filter);
        if (!match.Success)
        {
            return null;
        }

        var value = match.Groups[2].Value.Replace("''", "'", StringComparison.Ordinal);
        return match.Groups[1].Value.ToUpperInvariant() switch
        {
            "APPID" => new ObjectFilter(null, o => string.Equals(o.AppId, value, StringComparison.OrdinalIgnoreCase)),
            // Directory string comparisons in $filter ignore case.
            "DISPLAYNAME" => new ObjectFilter(null, o => string.Equals(o.DisplayName, value, StringComparison.OrdinalIgnoreCase)),
            _ => new ObjectFilter([value], null),
        };
    }

    private void WriteObject(Utf8JsonWriter w, SimObject item, HashSet<string>? select, string[]? ownerSelect)
    {
        w.WriteStartObject();
        WriteObjectFields(w, item, select, ownerSelect);
        w.WriteEndObject();
    }

    private void WriteObjectBody(Utf8JsonWriter w, SimObject item, HashSet<string>? select, string[]? ownerSelect) => WriteObjectFields(w, item, select, ownerSelect);

    private void WriteObjectFields(Utf8JsonWriter w, SimObject item, HashSet<string>? select, string[]? ownerSelect)
    {
        bool Wants(string name) => select is null || select.Contains(name);
        w.WriteString("id", item.Id);
        if (Wants("appId"))
        {
            w.WriteString("appId", item.AppId);
        }

        if (Wants("displayName"))
        {
            w.WriteString("displayName", item.DisplayName);
        }

        if (item.Kind == SimObjectKind.Application)
        {
            if (Wants("createdDateTime"))
            {
                w.WriteString("createdDateTime", item.CreatedDateTime.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            }

            if (Wants("description"))
            {
                WriteNullable(w, "description", item.Description);
            }

            if (Wants("notes"))
            {
                WriteNullable(w, "notes", item.Notes);
            }

            if (Wants("signInAudience"))
            {
                w.WriteString("signInAudience", item.SignInAudience ?? "AzureADMyOrg");
            }
        }

        if (item.Kind == SimObjectKind.ServicePrincipal)
        {
            if (Wants("servicePrincipalType"))
            {
                w.WriteString("servicePrincipalType", item.ServicePrincipalType ?? "Application");
            }

            if (Wants("preferredSingleSignOnMode"))
            {
                WriteNullable(w, "preferredSingleSignOnMode", item.PreferredSingleSignOnMode);
            }
        }

        if (Wants("tags"))
        {
            w.WriteStartArray("tags");
            item.Tags.ForEach(w.WriteStringValue);
            w.WriteEndArray();
        }

        if (Wants("passwordCredentials"))
        {
            w.WriteStartArray("passwordCredentials");
            foreach (var credential in item.PasswordCredentials)
            {
                w.WriteStartObject();
                WriteCredentialFields(w, credential, password: true, secretText: null);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        if (Wants("keyCredentials"))
        {
            // "By default, this API doesn't return the value of the key in the keyCredentials property when listing all
            // applications. To retrieve the public key info in key, the keyCredentials property must be specified in a
            // $select query" (learn.microsoft.com/graph/api/application-list).
            w.WriteStartArray("keyCredentials");
            foreach (var credential in item.KeyCredentials)
            {
                w.WriteStartObject();
                WriteCredentialFields(w, credential, password: false, secretText: null, select is not null ? credential.Key ?? SimCertificates.SharedPlaceholder : null);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        if (ownerSelect is not null)
        {
            // Graph returns at most 20 expanded directory objects and no nextLink for them.
            w.WriteStartArray("owners");
            foreach (var owner in OwnersOf(item).Take(MaxExpandedOwners))
            {
                WriteOwner(w, owner, ownerSelect);
            }

            w.WriteEndArray();
        }
    }

    private static void WriteCredentialFields(Utf8JsonWriter w, SimCredential credential, bool password, string? secretText, string? key = null)
    {
        WriteNullable(w, "customKeyIdentifier", credential.CustomKeyIdentifier);
        WriteNullable(w, "displayName", credential.DisplayName);
        w.WriteString("endDateTime", credential.EndDateTime.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        w.WriteString("keyId", credential.KeyId);
        w.WriteString("startDateTime", credential.StartDateTime.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        if (password)
        {
            WriteNullable(w, "hint", credential.Hint);
            WriteNullable(w, "secretText", secretText);
        }
        else
        {
            WriteNullable(w, "key", key);
            w.WriteString("type", credential.Type);
            w.WriteString("usage", credential.Usage);
        }
    }

    private static void WriteUser(Utf8JsonWriter w, SimUser user, IEnumerable<string> fields, bool directoryObject)
    {
        w.WriteStartObject();
        WriteUserBody(w, user, fields, directoryObject);
        w.WriteEndObject();
    }

    private static void WriteUserBody(Utf8JsonWriter w, SimUser user, IEnumerable<string> fields, bool directoryObject)
    {
        if (directoryObject)
        {
            w.WriteString("@odata.type", "#microsoft.graph.user");
        }

        w.WriteString("id", user.Id);
        foreach (var field in fields)
        {
            switch (field)
            {
                case "displayName":
                    w.WriteString("displayName", user.DisplayName);
                    break;
                case "userPrincipalName":
                    w.WriteString("userPrincipalName", user.UserPrincipalName);
                    break;
                case "mail":
                    WriteNullable(w, "mail", user.Mail);
                    break;
                case "accountEnabled":
                    w.WriteBoolean("accountEnabled", user.AccountEnabled);
                    break;
                default:
                    break;
            }
        }
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static GraphResponse Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }

        return new GraphResponse(200, buffer.WrittenSpan.ToArray());
    }

    internal static GraphResponse Error(int status, string code, string message, IReadOnlyDictionary<string, string>? headers = null)
    {
        var response = Json(w =>
        {
            w.WriteStartObject("error");
            w.WriteString("code", code);
            w.WriteString("message", message);
            w.WriteEndObject();
        });
        return response with { Status = status, Headers = headers };
    }

    private static GraphResponse NotFound(string id) =>
        Error(404, "Request_ResourceNotFound", $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.");

    private static string[] SplitSelect(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string Link(string origin, string collection, Dictionary<string, StringValues> q, string tokenName, string token, string? drop = null)
    {
        var parameters = q.Where(p => p.Key != "$skiptoken" && p.Key != "$deltatoken" && p.Key != drop)
            .Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value.ToString())}")
            .Append($"{tokenName}={Uri.EscapeDataString(token)}");
        return $"{origin}/v1.0/{collection}?{string.Join('&', parameters)}";
    }

    private static string EncodeOffset(int offset) => Convert.ToBase64String(Encoding.ASCII.GetBytes($"o:{offset}"));

    private static int DecodeOffset(string token)
    {
        try
        {
            var text = Encoding.ASCII.GetString(Convert.FromBase64String(token));
            return text.StartsWith("o:", StringComparison.Ordinal) && int.TryParse(text.AsSpan(2), CultureInfo.InvariantCulture, out var offset) && offset >= 0 ? offset : -1;
        }
        catch (FormatException)
        {
            return -1;
        }
    }

    private string EncodeVersion(long version) => Convert.ToBase64String(Encoding.ASCII.GetBytes($"v:{version}:{tenant.Generation}"));

    /// <summary>The version a delta token was issued at; -1 when it is malformed, -2 when another tenant issued it.</summary>
    private long DecodeVersion(string token)
    {
        try
        {
            var parts = Encoding.ASCII.GetString(Convert.FromBase64String(token)).Split(':');
            if (parts.Length < 2 || parts[0] != "v" || !long.TryParse(parts[1], CultureInfo.InvariantCulture, out var version))
            {
                return -1;
            }

            return parts.Length == 3 && parts[2] == tenant.Generation ? version : -2;
        }
        catch (FormatException)
        {
            return -1;
        }
    }

    private static string EncodeDeltaPage(long since, long snapshot, int offset) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"d:{since}:{snapshot}:{offset}")));

    private static bool TryDecodeDeltaPage(string token, out long since, out long snapshot, out int offset)
    {
        since = snapshot = offset = 0;
        try
        {
            var parts = Encoding.ASCII.GetString(Convert.FromBase64String(token)).Split(':');
            return parts.Length == 4 && parts[0] == "d"
                && long.TryParse(parts[1], CultureInfo.InvariantCulture, out since)
                && long.TryParse(parts[2], CultureInfo.InvariantCulture, out snapshot)
                && int.TryParse(parts[3], CultureInfo.InvariantCulture, out offset);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^(applications|servicePrincipals)\(appId='([^']*)'\)$")]
    private static partial Regex AppIdAddress();

    [GeneratedRegex(@"^owners(?:\(\$select=([^)]*)\))?$")]
    private static partial Regex ExpandOwners();

    [GeneratedRegex(@"^\s*(appId|id|displayName)\s+eq\s+'((?:[^']|'')*)'\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex ObjectFilterExpression();

    [GeneratedRegex(@"^\s*id\s+in\s*\(\s*('(?:[^']|'')*'(?:\s*,\s*'(?:[^']|'')*')*)\s*\)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex IdInFilter();

    [GeneratedRegex(@"'((?:[^']|'')*)'")]
    private static partial Regex FilterValue();

    [GeneratedRegex(@"^\s*(mail|userPrincipalName)\s+eq\s+'((?:[^']|'')*)'\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex UserFilter();
}

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
                ("GET", ["groups", var group, "transitiveMembers", "microsoft.graph.user" or "graph.user"]) => ListGroupUsers(group, q, origin, string.Join('/', segments)),
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

    private GraphResponse ListOwners(string id, Dictionary<string, StringValues> q, string origin, string collection)
    {
        var target = tenant.Find(id);
        if (target is null)
        {
            return NotFound(id);
        }

        var fields = q.TryGetValue("$select", out var s) ? SplitSelect(s.ToString()) : DefaultOwnerFields;
        return Paged(OwnersOf(target), q, origin, collection, (w, owner) => WriteOwner(w, owner, fields));
    }

    /// <summary>The members of a group that are users, directly or through nested groups (Graph's OData cast).</summary>
    private GraphResponse ListGroupUsers(string groupId, Dictionary<string, StringValues> q, string origin, string collection)
    {
        if (tenant.UsersInGroup(groupId) is not { } users)
        {
            return NotFound(groupId);
        }

        var fields = q.TryGetValue("$select", out var s) ? SplitSelect(s.ToString()) : DefaultOwnerFields;
        return Paged(users, q, origin, collection, (w, user) => WriteUser(w, user, fields, directoryObject: false));
    }

    /// <summary>A page of a navigation collection: <c>$top</c> (100 by default), and a next link while more remain.</summary>
    private static GraphResponse Paged<T>(IReadOnlyList<T> items, Dictionary<string, StringValues> q, string origin, string collection, Action<Utf8JsonWriter, T> write)
    {
        var top = q.TryGetValue("$top", out var t) && int.TryParse(t, CultureInfo.InvariantCulture, out var n) ? Math.Clamp(n, 1, MaxPageSize) : 100;
        var offset = q.TryGetValue("$skiptoken", out var skip) ? DecodeOffset(skip.ToString()) : 0;
        var page = items.Skip(offset).Take(top).ToList();
        return Json(w =>
        {
            if (offset + page.Count < items.Count)
            {
                w.WriteString("@odata.nextLink", Link(origin, collection, q, "$skiptoken", EncodeOffset(offset + page.Count)));
            }

            w.WriteStartArray("value");
            foreach (var item in page)
            {
                write(w, item);
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

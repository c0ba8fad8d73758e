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
}

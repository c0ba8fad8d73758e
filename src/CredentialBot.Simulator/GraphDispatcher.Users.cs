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
}

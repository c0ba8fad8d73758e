using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Primitives;

namespace CredentialBot.Simulator;

public sealed partial class GraphDispatcher
{
    private static readonly string[] ActivityKinds = ["lastSignInActivity", "applicationAuthenticationClientSignInActivity"];

    private static readonly SimObjectKind[] AppKinds = [SimObjectKind.Application, SimObjectKind.ServicePrincipal];

    /// <summary>
    /// What the Simulator serves under <c>/beta</c>: Entra's usage reports, which Graph has in beta only
    /// (<c>GET /beta/reports/appCredentialSignInActivities</c>, <c>…/servicePrincipalSignInActivities</c>). Both need
    /// AuditLog.Read.All (or Directory.Read.All), and a tenant without Microsoft Entra ID P1/P2 gets 403
    /// <c>Authentication_RequestFromNonPremiumTenantOrB2CTenant</c>.
    /// </summary>
    private GraphResponse RouteBeta(string method, string[] segments, Dictionary<string, StringValues> q) => (method.ToUpperInvariant(), segments) switch
    {
        ("GET", ["reports", "appCredentialSignInActivities"]) => Reports(q, CredentialActivities),
        ("GET", ["reports", "servicePrincipalSignInActivities"]) => Reports(q, ServicePrincipalActivities),
        _ => Error(404, "Request_ResourceNotFound", $"Resource not found for the segment '{string.Join('/', segments)}' (the Simulator serves only the usage reports under /beta)."),
    };

    private GraphResponse Reports(Dictionary<string, StringValues> q, Func<string?, string?, GraphResponse> answer)
    {
        if (!tenant.Grants("AuditLog.Read.All", "Directory.Read.All"))
        {
            return InsufficientPrivileges();
        }

        if (tenant.SignIns.Down)
        {
            // Retry-After 0: the client's retries come at once, so a test of an outage does not wait out a back-off.
            return Error(503, "ServiceUnavailable", "The reporting service is temporarily unavailable.", new Dictionary<string, string> { ["Retry-After"] = "0" });
        }

        if (!tenant.SignIns.Licensed)
        {
            return Error(403, "Authentication_RequestFromNonPremiumTenantOrB2CTenant", "Neither tenant is B2C or tenant doesn't have premium license");
        }

        string? appId = null;
        string? keyId = null;
        if (q.TryGetValue("$filter", out var filter))
        {
            var match = ReportFilter().Match(filter.ToString());
            if (!match.Success)
            {
                return Error(400, "Request_UnsupportedQuery", "Unsupported filter: only \"appId eq '…'\" and \"keyId eq '…'\" are supported.");
            }

            var value = match.Groups[2].Value.Replace("''", "'", StringComparison.Ordinal);
            (appId, keyId) = match.Groups[1].Value.Equals("appId", StringComparison.OrdinalIgnoreCase) ? (value, (string?)null) : (null, value);
        }

        return answer(appId, keyId);
    }

    /// <summary>One <c>appCredentialSignInActivity</c> per credential that signed in, with what the directory knows of it.</summary>
    private GraphResponse CredentialActivities(string? appId, string? keyId)
    {
        var records = tenant.SignIns.Of(appId).Where(r => keyId is null || string.Equals(r.KeyId, keyId, StringComparison.OrdinalIgnoreCase)).ToList();
        return Json(w =>
        {
            w.WriteString("@odata.context", "https://graph.microsoft.com/beta/$metadata#reports/appCredentialSignInActivities");
            w.WriteStartArray("value");
            foreach (var (app, key, last) in records)
            {
                var (owner, credential, isKey) = FindCredential(app, key);
                var origin = owner?.Kind == SimObjectKind.ServicePrincipal ? "servicePrincipal" : "application";
                w.WriteStartObject();
                w.WriteString("id", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{key}|{origin}")));
                w.WriteString("appId", app);
                WriteNullable(w, "appObjectId", tenant.FindByAppId(SimObjectKind.Application, app)?.Id);
                WriteNullable(w, "servicePrincipalObjectId", tenant.FindByAppId(SimObjectKind.ServicePrincipal, app)?.Id);
                w.WriteString("credentialOrigin", origin);
                w.WriteString("keyId", key);
                w.WriteString("keyType", isKey ? "certificate" : "clientSecret");
                w.WriteString("keyUsage", credential?.Usage == "Sign" ? "sign" : "verify");
                WriteNullable(w, "expirationDateTime", credential?.EndDateTime.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
                w.WriteStartObject("signInActivity");
                w.WriteString("lastSignInDateTime", last.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
                w.WriteString("lastSignInRequestId", Guid.NewGuid().ToString());
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    /// <summary>One <c>servicePrincipalSignInActivity</c> per App that signed in: its latest sign-in in any flow.</summary>
    private GraphResponse ServicePrincipalActivities(string? appId, string? keyId)
    {
        if (keyId is not null)
        {
            return Error(400, "Request_UnsupportedQuery", "keyId is not a property of servicePrincipalSignInActivity.");
        }

        var latest = tenant.SignIns.Of(appId).GroupBy(r => r.AppId, StringComparer.OrdinalIgnoreCase).Select(g => (AppId: g.Key, Last: g.Max(r => r.LastSignIn))).ToList();
        return Json(w =>
        {
            w.WriteString("@odata.context", "https://graph.microsoft.com/beta/$metadata#reports/servicePrincipalSignInActivities");
            w.WriteStartArray("value");
            foreach (var (app, last) in latest)
            {
                var when = last.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                w.WriteStartObject();
                w.WriteString("id", Convert.ToBase64String(Encoding.UTF8.GetBytes(app)));
                w.WriteString("appId", app);
                foreach (var activity in ActivityKinds)
                {
                    w.WriteStartObject(activity);
                    w.WriteString("lastSignInDateTime", when);
                    w.WriteString("lastSignInRequestId", Guid.NewGuid().ToString());
                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    private (SimObject? Owner, SimCredential? Credential, bool IsKey) FindCredential(string appId, string keyId)
    {
        foreach (var kind in AppKinds)
        {
            if (tenant.FindByAppId(kind, appId) is not { } owner)
            {
                continue;
            }

            if (owner.KeyCredentials.ToList().FirstOrDefault(c => string.Equals(c.KeyId, keyId, StringComparison.OrdinalIgnoreCase)) is { } key)
            {
                return (owner, key, true);
            }

            if (owner.PasswordCredentials.ToList().FirstOrDefault(c => string.Equals(c.KeyId, keyId, StringComparison.OrdinalIgnoreCase)) is { } password)
            {
                return (owner, password, false);
            }
        }

        return (null, null, false);
    }

    [GeneratedRegex(@"^\s*(appId|keyId)\s+eq\s+'((?:[^']|'')*)'\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex ReportFilter();
}

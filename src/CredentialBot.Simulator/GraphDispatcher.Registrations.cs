using System.Text.Json;

namespace CredentialBot.Simulator;

public sealed partial class GraphDispatcher
{
    private static readonly string[] SignInAudiences = ["AzureADMyOrg", "AzureADMultipleOrgs", "AzureADandPersonalMicrosoftAccount", "PersonalMicrosoftAccount"];

    private static readonly string[] WritableProperties = ["displayName", "description", "notes", "tags", "keyCredentials"];

    /// <summary>Graph's limit on an application's description: "The maximum allowed size is 1,024 characters".</summary>
    private const int MaxDescriptionLength = 1024;

    /// <summary>
    /// <c>POST /applications</c> → 201 and the application. "The request body must contain displayName", and "Adding
    /// passwordCredential when creating applications is not supported" (learn.microsoft.com/graph/api/application-post-applications).
    /// A caller holding only Application.ReadWrite.OwnedBy ("Manage apps that this app creates or owns") is made the new
    /// application's owner, so it can manage what it created.
    /// </summary>
    private GraphResponse CreateApplication(byte[]? body)
    {
        if (!tenant.Grants("Application.ReadWrite.OwnedBy", "Application.ReadWrite.All", "AppRegistration.Create", "Directory.ReadWrite.All"))
        {
            return InsufficientPrivileges();
        }

        using var document = JsonDocument.Parse(body ?? []);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || Text(root, "displayName") is not { Length: > 0 } displayName || string.IsNullOrWhiteSpace(displayName))
        {
            return Error(400, "Request_BadRequest", "Property 'displayName' is required.");
        }

        var audience = Text(root, "signInAudience") ?? "AzureADandPersonalMicrosoftAccount";
        if (!SignInAudiences.Contains(audience, StringComparer.Ordinal))
        {
            return Error(400, "Request_BadRequest", $"Invalid value specified for property 'signInAudience': '{audience}'.");
        }

        if (root.TryGetProperty("passwordCredentials", out var passwords) && passwords.ValueKind == JsonValueKind.Array && passwords.GetArrayLength() > 0)
        {
            return Error(400, "Request_BadRequest", "Adding passwordCredentials when creating applications is not supported; use addPassword.");
        }

        if (Text(root, "description") is { Length: > MaxDescriptionLength })
        {
            return Error(400, "Request_BadRequest", $"The description may be at most {MaxDescriptionLength} characters.");
        }

        var now = time.GetUtcNow();
        List<SimCredential> keys = [];
        if (root.TryGetProperty("keyCredentials", out var keyArray) && ReadKeyCredentials(keyArray, out keys) is { } keyError)
        {
            return keyError;
        }

        var created = tenant.Add(new SimObject
        {
            Id = Guid.NewGuid().ToString(),
            AppId = Guid.NewGuid().ToString(),
            DisplayName = displayName,
            Kind = SimObjectKind.Application,
            CreatedDateTime = now,
            Description = Text(root, "description"),
            Notes = Text(root, "notes"),
            SignInAudience = audience,
            Tags = Strings(root, "tags"),
            KeyCredentials = keys,
            OwnerIds = CreatorOwnership(),
        });
        return Json(w =>
        {
            w.WriteString("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#applications/$entity");
            WriteObjectFields(w, created, null, null);
        }) with { Status = 201 };
    }

    /// <summary>
    /// <c>POST /servicePrincipals</c> with the application's <c>appId</c> → 201 and the service principal. One per appId
    /// in a tenant; an appId no application has is refused.
    /// </summary>
    private GraphResponse CreateServicePrincipal(byte[]? body)
    {
        if (!tenant.Grants("Application.ReadWrite.OwnedBy", "Application.ReadWrite.All", "Directory.ReadWrite.All"))
        {
            return InsufficientPrivileges();
        }

        using var document = JsonDocument.Parse(body ?? []);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || Text(root, "appId") is not { Length: > 0 } appId)
        {
            return Error(400, "Request_BadRequest", "Property 'appId' is required.");
        }

        if (tenant.FindByAppId(SimObjectKind.Application, appId) is not { } application)
        {
            return Error(400, "Request_BadRequest", $"The appId '{appId}' of the service principal does not reference a valid application object.");
        }

        if (!tenant.CallerMayWrite(application))
        {
            return InsufficientPrivileges();
        }

        if (tenant.FindByAppId(SimObjectKind.ServicePrincipal, appId) is not null)
        {
            return Error(409, "Request_MultipleObjectsWithSameKeyValue", "Another object with the same value for property servicePrincipalNames already exists.");
        }

        var created = tenant.Add(new SimObject
        {
            Id = Guid.NewGuid().ToString(),
            AppId = appId,
            DisplayName = application.DisplayName,
            Kind = SimObjectKind.ServicePrincipal,
            ServicePrincipalType = "Application",
            CreatedDateTime = time.GetUtcNow(),
            Tags = Strings(root, "tags"),
            OwnerIds = CreatorOwnership(),
        });
        return Json(w =>
        {
            w.WriteString("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals/$entity");
            WriteObjectFields(w, created, null, null);
        }) with { Status = 201 };
    }

    /// <summary>A caller limited to Application.ReadWrite.OwnedBy owns what it creates; otherwise nobody does yet.</summary>
    private List<string> CreatorOwnership() =>
        !tenant.Grants("Application.ReadWrite.All", "Directory.ReadWrite.All") && tenant.CallerServicePrincipalId is { } caller ? [caller] : [];

    /// <summary>
    /// <c>PATCH /applications/{id}</c> (or <c>/servicePrincipals/{id}</c>) → 204. A collection given replaces the stored
    /// one: "Because this a PATCH call, which by protocol replaces the contents of the property with the new values,
    /// including only the new certificate will replace the existing certificates with the new one"
    /// (learn.microsoft.com/graph/applications-how-to-add-certificate).
    /// </summary>
    private GraphResponse Update(SimObjectKind kind, string id, byte[]? body)
    {
        var target = tenant.Find(id);
        if (target is null || target.Kind != kind)
        {
            return NotFound(id);
        }

        if (!tenant.CallerMayWrite(target))
        {
            return InsufficientPrivileges();
        }

        using var document = JsonDocument.Parse(body ?? []);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Error(400, "BadRequest", "The request body must be a JSON object.");
        }

        foreach (var property in root.EnumerateObject())
        {
            // Annotations such as "@odata.type" (the Graph SDK sends one) describe the body; they are not properties.
            if (!property.Name.StartsWith('@') && !WritableProperties.Contains(property.Name, StringComparer.Ordinal))
            {
                return Error(400, "Request_BadRequest", $"Property '{property.Name}' is read-only or not supported by the Simulator.");
            }
        }

        List<SimCredential>? keys = null;
        if (root.TryGetProperty("keyCredentials", out var keyArray) && ReadKeyCredentials(keyArray, out keys) is { } keyError)
        {
            return keyError;
        }

        if (Text(root, "description") is { Length: > MaxDescriptionLength })
        {
            return Error(400, "Request_BadRequest", $"The description may be at most {MaxDescriptionLength} characters.");
        }

        if (root.TryGetProperty("displayName", out var name) && (name.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(name.GetString())))
        {
            return Error(400, "Request_BadRequest", "Property 'displayName' cannot be empty.");
        }

        tenant.Modify(id, o =>
        {
            if (keys is not null)
            {
                o.KeyCredentials.Clear();
                o.KeyCredentials.AddRange(keys);
            }

            if (Text(root, "displayName") is { } newName)
            {
                o.DisplayName = newName;
            }

            if (root.TryGetProperty("description", out _))
            {
                o.Description = Text(root, "description");
            }

            if (root.TryGetProperty("notes", out _))
            {
                o.Notes = Text(root, "notes");
            }

            if (root.TryGetProperty("tags", out _))
            {
                o.Tags.Clear();
                o.Tags.AddRange(Strings(root, "tags"));
            }
        });
        return new GraphResponse(204, null);
    }

    /// <summary>
    /// A <c>keyCredentials</c> collection as Graph validates it: each entry a public X.509 certificate in <c>key</c>
    /// (base64; a PKCS#12 file or anything else is refused), <c>type</c> and <c>usage</c> "must be AsymmetricX509Cert and
    /// Verify respectively" for a certificate an app signs in with, key ids unique, the end after the start. A missing
    /// start or end is taken from the certificate.
    /// </summary>
    private static GraphResponse? ReadKeyCredentials(JsonElement array, out List<SimCredential> credentials)
    {
        credentials = [];
        if (array.ValueKind != JsonValueKind.Array)
        {
            return Error(400, "Request_BadRequest", "Property 'keyCredentials' must be a collection.");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var index = 0;
        foreach (var entry in array.EnumerateArray())
        {
            var where = $"keyCredentials[{index++}]";
            if (entry.ValueKind != JsonValueKind.Object)
            {
                return Error(400, "Request_BadRequest", $"{where} must be an object.");
            }

            var type = Text(entry, "type");
            var usage = Text(entry, "usage");
            if (!(type == "AsymmetricX509Cert" && usage == "Verify") && !(type == "X509CertAndPassword" && usage == "Sign"))
            {
                return Error(400, "Request_BadRequest", $"{where}: type '{type}' with usage '{usage}' is not a valid key credential; a certificate to sign in with is AsymmetricX509Cert with usage Verify.");
            }

            using var certificate = SimCertificates.TryRead(Text(entry, "key"));
            if (certificate is null)
            {
                return Error(400, "Request_BadRequest", $"{where}: the key is not a valid public X.509 certificate (base64 of a DER-encoded .cer).");
            }

            var keyId = Text(entry, "keyId") ?? Guid.NewGuid().ToString();
            if (!Guid.TryParse(keyId, out _))
            {
                return Error(400, "Request_BadRequest", $"{where}: keyId '{keyId}' is not a GUID.");
            }

            if (!seen.Add(keyId))
            {
                return Error(400, "Request_BadRequest", $"{where}: keyId '{keyId}' appears more than once; key ids must be unique.");
            }

            var start = Date(entry, "startDateTime") ?? new DateTimeOffset(certificate.NotBefore.ToUniversalTime());
            var end = Date(entry, "endDateTime") ?? new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
            if (end <= start)
            {
                return Error(400, "Request_BadRequest", $"{where}: endDateTime must be later than startDateTime.");
            }

            credentials.Add(new SimCredential(
                keyId,
                Text(entry, "displayName") ?? certificate.Subject,
                start,
                end,
                CustomKeyIdentifier: Text(entry, "customKeyIdentifier"),
                Key: Text(entry, "key"),
                Usage: usage!,
                Type: type!));
        }

        return null;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset? Date(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var date) ? date : null;

    private static List<string> Strings(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)]
            : [];
}

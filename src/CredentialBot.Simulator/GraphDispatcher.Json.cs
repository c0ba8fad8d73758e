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
}

using System.Globalization;
using System.Text;
using CredentialBot.Domain;

namespace CredentialBot.Shared.Cards;

/// <summary>Text helpers shared by card builders. Everything shown comes from untrusted sources and is escaped.</summary>
public static class CardText
{
    private const string MarkdownSpecials = "\\*_[]`~>";

    /// <summary>
    /// Escapes Adaptive Card markdown so a name or echoed query renders literally and cannot smuggle in a
    /// link or formatting; over-long input is cut with an ellipsis.
    /// </summary>
    public static string Literal(string? text, int maxLength = 120)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var clipped = text.Length > maxLength ? string.Concat(text.AsSpan(0, maxLength - 1), "…") : text;
        var builder = new StringBuilder(clipped.Length + 8);
        foreach (var c in clipped)
        {
            if (MarkdownSpecials.Contains(c, StringComparison.Ordinal))
            {
                builder.Append('\\');
            }

            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        return builder.ToString();
    }

    public static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>"2026-12-05 14:03 UTC": a moment people compare with their own clock.</summary>
    public static string DateTime(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>"1 day", "3 days", "0 apps": a count with its noun agreeing.</summary>
    public static string Count(int count, string singular, string? plural = null) =>
        count.ToString(CultureInfo.InvariantCulture) + " " + (count == 1 ? singular : plural ?? singular + "s");

    /// <summary>"3 days left", "1 day left", "expired today", "expired 4 days ago"; a part day counts as one, as stages count.</summary>
    public static string DaysLeft(Credential credential, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(credential);
        if (credential.IsExpired(now))
        {
            var ago = (int)Math.Floor((now - credential.EndsAt).TotalDays);
            return ago switch
            {
                0 => "expired today",
                1 => "expired 1 day ago",
                _ => $"expired {ago} days ago",
            };
        }

        return $"{Count(credential.DaysLeft(now), "day")} left";
    }

    public static string KindName(CredentialKind kind) => kind == CredentialKind.Secret ? "Secret" : "Certificate";

    public static string AppKindName(AppKind kind) =>
        kind == AppKind.Application ? "App registration" : "Enterprise application (service principal)";

    public static string OwnerKindName(OwnerKind kind) => kind switch
    {
        OwnerKind.Entra => "Entra owner",
        OwnerKind.Technical => "Technical owner",
        OwnerKind.Business => "Business owner",
        _ => kind.ToString(),
    };

    /// <summary>The kind of owner inside a sentence: "Entra owner" keeps its capital, the others are lower case.</summary>
    public static string OwnerKindInSentence(OwnerKind kind) => kind == OwnerKind.Entra ? OwnerKindName(kind) : OwnerKindName(kind).ToLowerInvariant();

    /// <summary>How urgent a credential is, for wording and colour: never colour alone (accessibility).</summary>
    public static Urgency UrgencyOf(Credential? credential, DateTimeOffset now)
    {
        if (credential is null)
        {
            return Urgency.None;
        }

        if (credential.IsExpired(now))
        {
            return Urgency.Expired;
        }

        var days = credential.DaysLeft(now);
        return days <= 7 ? Urgency.Critical : days <= 30 ? Urgency.Warning : Urgency.Healthy;
    }

    /// <summary>The Entra admin center page of an App.</summary>
    public static Uri EntraPortalLink(App app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var appId = Uri.EscapeDataString(app.AppId);
        var objectId = Uri.EscapeDataString(app.ObjectId);
        return app.Kind == AppKind.Application
            ? new Uri($"https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Overview/appId/{appId}")
            : new Uri($"https://entra.microsoft.com/#view/Microsoft_AAD_IAM/ManagedAppMenuBlade/~/Overview/objectId/{objectId}/appId/{appId}");
    }
}

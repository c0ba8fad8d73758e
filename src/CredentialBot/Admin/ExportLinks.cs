using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CredentialBot.Actions;
using CredentialBot.BotFramework.Cards;
using CredentialBot.Cards;
using CredentialBot.Commands;
using CredentialBot.Domain;
using Microsoft.Extensions.Options;

namespace CredentialBot.Admin;

/// <summary>Section "Exports": where download links point and how they are signed.</summary>
public sealed class ExportOptions
{
    public const string SectionName = "Exports";

    /// <summary>The host's public HTTPS address, e.g. https://credentialbot.contoso.com; local mode uses its own.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>The HMAC key that signs links (at least 32 characters; keep it in a secret store). Local mode makes one per run.</summary>
    public string? SigningKey { get; set; }

    /// <summary>How long a link works.</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromMinutes(10);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(PublicBaseUrl) && SigningKey is { Length: >= 32 };
}

/// <summary>Refuses half-configured exports at start-up, naming the setting.</summary>
public sealed class ExportOptionsValidator : IValidateOptions<ExportOptions>
{
    public ValidateOptionsResult Validate(string? name, ExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.PublicBaseUrl) && !Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out _))
        {
            failures.Add("Exports:PublicBaseUrl must be an absolute URL.");
        }

        if (!string.IsNullOrWhiteSpace(options.PublicBaseUrl) && options.SigningKey is not { Length: >= 32 })
        {
            failures.Add("Exports:SigningKey must be at least 32 characters when Exports:PublicBaseUrl is set.");
        }

        if (options.LinkLifetime < TimeSpan.FromMinutes(1) || options.LinkLifetime > TimeSpan.FromHours(1))
        {
            failures.Add("Exports:LinkLifetime must be between 1 minute and 1 hour.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>
/// Short-lived signed download links for exports: the link names the export, the admin it was made for and when it
/// expires, signed with HMAC-SHA256. The download checks the signature (in constant time), the expiry, and that the
/// person is still an admin, and is audited.
/// </summary>
public sealed class ExportLinks(IOptions<ExportOptions> options, TimeProvider time)
{
    public Uri Create(ExportKind kind, string personObjectId)
    {
        var settings = options.Value;
        var expires = time.GetUtcNow().Add(settings.LinkLifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var path = $"exports/{Name(kind)}?by={Uri.EscapeDataString(personObjectId)}&expires={expires}&sig={Sign(kind, personObjectId, expires)}";
        return new Uri(new Uri(settings.PublicBaseUrl!.TrimEnd('/') + "/"), path);
    }

    /// <summary>Null when the link is good, else why not (for a 4xx answer).</summary>
    public (int Status, string Reason)? Check(ExportKind kind, string? by, string? expires, string? signature)
    {
        if (string.IsNullOrEmpty(by) || string.IsNullOrEmpty(expires) || string.IsNullOrEmpty(signature) || by.Length > 128 || expires.Length > 20 || signature.Length != 64)
        {
            return (400, "The link is incomplete.");
        }

        var expected = Encoding.ASCII.GetBytes(Sign(kind, by, expires));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature.ToLowerInvariant())))
        {
            return (403, "The link's signature does not match.");
        }

        return !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || time.GetUtcNow().ToUnixTimeSeconds() > seconds
            ? (410, "The link has expired; ask the bot for a new one.")
            : null;
    }

    public static string Name(ExportKind kind) => kind == ExportKind.Audit ? "audit" : "compliance";

    private string Sign(ExportKind kind, string person, string expires) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.Value.SigningKey!), Encoding.UTF8.GetBytes($"{Name(kind)}\n{person}\n{expires}")));
}

/// <summary><c>export audit</c> / <c>export compliance</c> (admins): a short-lived download link to the CSV.</summary>
public abstract class ExportCommand(AdminGate gate, ExportLinks links, IOptions<ExportOptions> options, AccessControl access) : IBotCommand
{
    protected abstract ExportKind Kind { get; }

    public abstract string Name { get; }

    public string Usage => Name;

    public abstract string Description { get; }

    public async Task<CommandReply> ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await gate.RefuseUnlessAdminAsync(request, Name, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            return refusal;
        }

        if (!options.Value.IsConfigured)
        {
            return CommandReply.WithText("Exports need Exports:PublicBaseUrl and Exports:SigningKey to be configured; the export CLI verbs work without them.");
        }

        var who = await access.PrincipalOfAsync(request.Actor, cancellationToken).ConfigureAwait(false);
        var link = links.Create(Kind, who.ObjectId);
        await access.AuditAsync(who, null, "Export" + Kind, "LinkCreated", $"Valid for {options.Value.LinkLifetime.TotalMinutes:0} minutes", null, cancellationToken).ConfigureAwait(false);
        return CommandReply.WithCard(CardParts.Card(
            [
                CardParts.Heading($"{Kind} export"),
                CardParts.Text($"The link works for {options.Value.LinkLifetime.TotalMinutes:0} minutes, only for you as an admin, and every download is audited."),
            ],
            [CardParts.OpenUrl($"Download the {ExportLinks.Name(Kind)} CSV", link)]));
    }
}

public sealed class ExportAuditCommand(AdminGate gate, ExportLinks links, IOptions<ExportOptions> options, AccessControl access) : ExportCommand(gate, links, options, access)
{
    protected override ExportKind Kind => ExportKind.Audit;

    public override string Name => CommandNames.ExportAudit;

    public override string Description => "Admins: download the whole audit trail as CSV (a link valid for minutes).";
}

public sealed class ExportComplianceCommand(AdminGate gate, ExportLinks links, IOptions<ExportOptions> options, AccessControl access) : ExportCommand(gate, links, options, access)
{
    protected override ExportKind Kind => ExportKind.Compliance;

    public override string Name => CommandNames.ExportCompliance;

    public override string Description => "Admins: download every app's compliance as CSV (a link valid for minutes).";
}

/// <summary>The download endpoint behind export links.</summary>
public static class ExportEndpoint
{
    public static void MapExports(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/exports/{kind}", async (string kind, HttpContext context, ExportLinks links, AccessControl access, Exports exports, CancellationToken cancellationToken) =>
        {
            ExportKind? parsed = kind switch { "audit" => ExportKind.Audit, "compliance" => ExportKind.Compliance, _ => null };
            if (parsed is not { } which)
            {
                return Results.NotFound("There is no such export.");
            }

            var query = context.Request.Query;
            var by = query["by"].ToString();
            if (links.Check(which, by, query["expires"].ToString(), query["sig"].ToString()) is { } problem)
            {
                return Results.Text(problem.Reason, "text/plain", statusCode: problem.Status);
            }

            var who = new Principal(by, null, await access.IsAdminAsync(by, cancellationToken).ConfigureAwait(false));
            if (!who.IsAdmin)
            {
                await access.RefusedAsync(who, null, "Export" + which, "Not an admin any more", null, cancellationToken).ConfigureAwait(false);
                return Results.Text("The link's owner is no longer a CredentialBot admin.", "text/plain", statusCode: 403);
            }

            await access.AuditAsync(who, null, "Export" + which, "Downloaded", null, null, cancellationToken).ConfigureAwait(false);
            context.Response.ContentType = "text/csv; charset=utf-8";
            context.Response.Headers.ContentDisposition = $"attachment; filename=credentialbot-{ExportLinks.Name(which)}.csv";
            context.Response.Headers.CacheControl = "no-store";
            await using var writer = new StreamWriter(context.Response.Body, new UTF8Encoding(false), leaveOpen: true);
            await exports.WriteAsync(which, writer, cancellationToken).ConfigureAwait(false);
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            return Results.Empty;
        });
    }
}

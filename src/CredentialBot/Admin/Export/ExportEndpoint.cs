using System.Text;
using CredentialBot.Domain;
using CredentialBot.Admin.Scopes;
using CredentialBot.Shared.Access;
using CredentialBot.Shared.Access.Scopes;
using CredentialBot.Shared.Audit;

namespace CredentialBot.Admin.Export;

/// <summary>
/// The download endpoint behind export links: a bad, expired or reused link, and a link whose admin is no longer one,
/// is refused with a 4xx and audited; a scoped admin's link downloads only their scopes' rows and events, the scopes
/// being read again at download (a person who lost every scope is refused); the first good download consumes the link's one-time id together with its
/// audit event, so exactly one download per link ever starts.
/// </summary>
public static class ExportEndpoint
{
    public static void MapExports(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/exports/{kind}", async (string kind, HttpContext context, ExportLinks links, AccessControl access, AdminScopeResolver scopes, AuditTrail audit, Exports exports, CancellationToken cancellationToken) =>
        {
            ExportKind? parsed = kind switch { "audit" => ExportKind.Audit, "compliance" => ExportKind.Compliance, _ => null };
            if (parsed is not { } which)
            {
                return Results.NotFound("There is no such export.");
            }

            var query = context.Request.Query;
            var by = query["by"].ToString();
            var id = query["id"].ToString();
            var operation = ExportLinks.OperationOf(which);
            if (links.Check(which, by, query["expires"].ToString(), id, query["sig"].ToString()) is { } problem)
            {
                // Until the signature matches, "by" is only a claim: the refusal is recorded without an actor.
                await audit.RefusedAsync(problem.Status == 410 ? new Principal(by, null, false) : AuditTrail.Unknown, null, operation, $"Download refused: {problem.Reason}", cancellationToken);
                return Results.Text(problem.Reason, "text/plain", statusCode: problem.Status);
            }

            var who = new Principal(by, null, await access.IsAdminAsync(by, cancellationToken));
            var mine = await scopes.ScopesOfAsync(who, cancellationToken);
            if (!who.IsAdmin && mine.Count == 0)
            {
                await audit.RefusedAsync(who, null, operation, "Not an admin any more", cancellationToken);
                return Results.Text("The link's owner is no longer a CredentialBot admin.", "text/plain", statusCode: 403);
            }

            try
            {
                if (await audit.ConfirmOnceAsync(who, null, operation, id, cancellationToken) is { } used)
                {
                    await audit.CommitChangeAsync(cancellationToken);
                    return Results.Text($"This link works once and has been used. {used} Ask the bot for a new one.", "text/plain", statusCode: 410);
                }

                await audit.RecordAsync(who, null, operation, AuditOutcome.Downloaded, who.IsAdmin ? null : $"Scoped to {ScopedCompliance.Describe(mine)}", cancellationToken);
                await audit.CommitChangeAsync(cancellationToken);
            }
            finally
            {
                await audit.AbandonChangeAsync();
            }

            context.Response.ContentType = "text/csv; charset=utf-8";
            context.Response.Headers.ContentDisposition = $"attachment; filename=credentialbot-{ExportLinks.Name(which)}.csv";
            context.Response.Headers.CacheControl = "no-store";
            await using var writer = new StreamWriter(context.Response.Body, new UTF8Encoding(false), leaveOpen: true);
            await exports.WriteAsync(which, writer, cancellationToken, who.IsAdmin ? null : mine);
            await writer.FlushAsync(cancellationToken);
            return Results.Empty;
        });
    }
}

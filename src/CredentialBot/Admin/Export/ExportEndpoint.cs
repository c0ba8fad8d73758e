using System.Text;
using CredentialBot.Domain;
using CredentialBot.Shared.Access;
using CredentialBot.Shared.Audit;

namespace CredentialBot.Admin.Export;

/// <summary>The download endpoint behind export links.</summary>
public static class ExportEndpoint
{
    public static void MapExports(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/exports/{kind}", async (string kind, HttpContext context, ExportLinks links, AccessControl access, AuditTrail audit, Exports exports, CancellationToken cancellationToken) =>
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

            var who = new Principal(by, null, await access.IsAdminAsync(by, cancellationToken));
            var operation = ExportLinks.OperationOf(which);
            if (!who.IsAdmin)
            {
                await audit.RefusedAsync(who, null, operation, "Not an admin any more", cancellationToken);
                return Results.Text("The link's owner is no longer a CredentialBot admin.", "text/plain", statusCode: 403);
            }

            await audit.RecordAsync(who, null, operation, AuditOutcome.Downloaded, null, cancellationToken);
            context.Response.ContentType = "text/csv; charset=utf-8";
            context.Response.Headers.ContentDisposition = $"attachment; filename=credentialbot-{ExportLinks.Name(which)}.csv";
            context.Response.Headers.CacheControl = "no-store";
            await using var writer = new StreamWriter(context.Response.Body, new UTF8Encoding(false), leaveOpen: true);
            await exports.WriteAsync(which, writer, cancellationToken);
            await writer.FlushAsync(cancellationToken);
            return Results.Empty;
        });
    }
}

using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CredentialBot.Hosting;

/// <summary>
/// The body of <c>/readyz</c>: the overall status and, per check, its status and what is wrong (a failing scan, the
/// directory not answering), so an operator reads the reason instead of a bare "Unhealthy". Descriptions come from our
/// own checks and name no secrets; exception details stay in the log.
/// </summary>
public static class ReadinessReport
{
    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(report);
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        json.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString("status", entry.Status.ToString());
            json.WriteString("description", entry.Description ?? (entry.Exception is null ? null : "The check failed; see the log."));
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }
}

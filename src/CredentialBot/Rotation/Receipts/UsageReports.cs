using CredentialBot.Digests;
using CredentialBot.Domain;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Messaging;
using Microsoft.Extensions.Options;

namespace CredentialBot.Rotation.Receipts;

/// <summary>
/// Reads an App's credential usage for the receipt and removal decisions (Graph beta
/// <c>reports/appCredentialSignInActivities</c> and <c>servicePrincipalSignInActivities</c>, through the Directory). A
/// tenant without the licence or the bot without <c>AuditLog.Read.All</c> is said once, for good (audited, logged, and
/// to the admin channel when there is one), and every later reading is simply "unavailable": callers carry on as before.
/// </summary>
public sealed partial class UsageReports(
    ITenantDirectory directory,
    AuditTrail audit,
    Messenger messenger,
    IOptions<ReceiptOptions> options,
    IOptions<NotificationOptions> notifications,
    ILogger<UsageReports> logger)
{
    /// <summary>The confirmation scope that remembers the tenant was told (one row per kind of refusal).</summary>
    private static readonly AuditOperation Told = AuditOperation.UsageReportsUnavailable;

    private readonly Dictionary<string, UsageReading> _read = new(StringComparer.Ordinal);

    /// <summary>The App's usage, read at most once per scope (a janitor round) however many of its credentials ask.</summary>
    public async Task<UsageReading> ReadAsync(App app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!options.Value.Enabled)
        {
            return UsageReading.Unavailable;
        }

        if (_read.TryGetValue(app.ObjectId, out var known))
        {
            return known;
        }

        var result = await directory.GetCredentialUsageAsync(app, cancellationToken);
        var reading = result switch
        {
            { Value: { } usage } => new UsageReading(usage, false),
            { Refusal.Kind: DirectoryRefusalKind.NotLicensed or DirectoryRefusalKind.MissingPermission } => UsageReading.Unavailable,
            _ => UsageReading.Later,
        };
        if (result.Refusal is { Kind: DirectoryRefusalKind.NotLicensed or DirectoryRefusalKind.MissingPermission } refusal)
        {
            await TellOnceAsync(refusal, cancellationToken);
        }
        else if (result.Refusal is { } other)
        {
            LogUnavailable(logger, app.ObjectId, other.Reason);
        }

        _read[app.ObjectId] = reading;
        return reading;
    }

    /// <summary>
    /// Every credential's last use, tenant-wide; a refusal instead when the tenant cannot have the reports (told once)
    /// or they did not answer now; null when receipts are turned off.
    /// </summary>
    public async Task<DirectoryResult<TenantCredentialUsage>?> ReadTenantAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return null;
        }

        var result = await directory.GetTenantCredentialUsageAsync(cancellationToken);
        if (result.Refusal is { Kind: DirectoryRefusalKind.NotLicensed or DirectoryRefusalKind.MissingPermission } refusal)
        {
            await TellOnceAsync(refusal, cancellationToken);
        }

        return result;
    }

    /// <summary>What to tell admins (and the compliance summary) when the tenant cannot have the reports.</summary>
    public static string Explain(DirectoryRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return refusal.Kind == DirectoryRefusalKind.NotLicensed
            ? "Credential usage reports need Microsoft Entra ID P1 or P2, which this tenant does not have: rotations get no receipt, and old credentials are removed when due without checking whether they are still used."
            : $"Credential usage reports need the Graph application permission {refusal.RequiredPermission ?? "AuditLog.Read.All"}, which the bot was not granted: rotations get no receipt, and old credentials are removed when due without checking whether they are still used.";
    }

    private async Task TellOnceAsync(DirectoryRefusal refusal, CancellationToken cancellationToken)
    {
        var change = await audit.BeginChangeAsync(cancellationToken);
        if (await change.ConsumeConfirmationAsync(Told.Name, "tenant:" + refusal.Kind, AuditTrail.Bot.ObjectId, AuditTrail.Bot.DisplayName, cancellationToken) is not null)
        {
            // Told before (by this or another instance): nothing to record.
            await audit.AbandonChangeAsync();
            return;
        }

        var text = Explain(refusal);
        await audit.RecordAsync(AuditTrail.Bot, null, Told, AuditOutcome.Refused, $"{text} ({refusal.Reason})", cancellationToken);
        await audit.CommitChangeAsync(cancellationToken);
        LogTold(logger, refusal.Kind, refusal.Reason);
        if (notifications.Value.AdminChannelConversationId is { Length: > 0 } channel)
        {
            await messenger.SendToConversationAsync(channel, NoticeCard.Build("Credential usage reports unavailable", text, Urgency.Warning), "Credential usage reports unavailable", cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Credential usage reports are unavailable ({Kind}: {Reason}); rotations get no receipt and old credentials are removed without a usage check")]
    private static partial void LogTold(ILogger logger, DirectoryRefusalKind kind, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not read the credential usage of {App} now ({Reason}); trying again next round")]
    private static partial void LogUnavailable(ILogger logger, string app, string reason);
}

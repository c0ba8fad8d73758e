namespace CredentialBot.Shared.Audit;

/// <summary>
/// The name an action is recorded under in the audit trail. Every name the host writes is declared here, so the
/// trail's vocabulary can be read (and searched) in one place.
/// </summary>
/// <param name="Name">The name as written to the trail.</param>
public readonly record struct AuditOperation(string Name)
{
    public static AuditOperation RotateSecret { get; } = new("RotateSecret");

    public static AuditOperation RemoveOldSecret { get; } = new("RemoveOldSecret");

    public static AuditOperation RotateCertificate { get; } = new("RotateCertificate");

    public static AuditOperation CancelSecretRemoval { get; } = new("CancelSecretRemoval");

    /// <summary>A rotated credential's first use, seen in the usage reports.</summary>
    public static AuditOperation RotationReceipt { get; } = new("RotationReceipt");

    /// <summary>An old credential's removal held because it was still used, and its owners asked.</summary>
    public static AuditOperation HoldOldCredentialRemoval { get; } = new("HoldOldCredentialRemoval");

    /// <summary>An owner's "keep N more days" for an old credential that was still used.</summary>
    public static AuditOperation KeepOldCredentialLonger { get; } = new("KeepOldCredentialLonger");

    /// <summary>The tenant cannot have the credential usage reports (licence or permission): said once.</summary>
    public static AuditOperation UsageReportsUnavailable { get; } = new("UsageReportsUnavailable");

    /// <summary>A hands-free rotation: the bot rotated a secret into its App's vault under the policy (or failed to).</summary>
    public static AuditOperation AutoRotateSecret { get; } = new("AutoRotateSecret");

    /// <summary>A hands-free rotation of a Key Vault-made certificate: the App's vault made a new version and Entra took its public key (or failed to).</summary>
    public static AuditOperation AutoRotateCertificate { get; } = new("AutoRotateCertificate");

    /// <summary>A hands-free rotation refused (no allowed vault, a certificate its vault did not make), or reopened once the App has one.</summary>
    public static AuditOperation AutoRotationRefused { get; } = new("AutoRotationRefused");

    /// <summary>A secret an interrupted hands-free rotation created, whose value was never delivered, removed again.</summary>
    public static AuditOperation RemoveUndeliveredSecret { get; } = new("RemoveUndeliveredSecret");

    /// <summary>The new secret of a hands-free rotation was used: the old one's removal is scheduled.</summary>
    public static AuditOperation ScheduleOldSecretRemoval { get; } = new("ScheduleOldSecretRemoval");

    /// <summary>The new secret of a hands-free rotation was not used within the policy's window: its owners were told.</summary>
    public static AuditOperation AutoRotationUnused { get; } = new("AutoRotationUnused");

    public static AuditOperation RequestElevation { get; } = new("RequestElevation");

    public static AuditOperation DecideRequest { get; } = new("DecideRequest");

    public static AuditOperation GrantEnded { get; } = new("GrantEnded");

    public static AuditOperation PimAssignment { get; } = new("PimAssignment");

    public static AuditOperation AddOwner { get; } = new("AddOwner");

    public static AuditOperation TransferOwnership { get; } = new("TransferOwnership");

    public static AuditOperation RemoveOwner { get; } = new("RemoveOwner");

    /// <summary>The bot found an owner disabled or deleted and asked the remaining owners to replace them.</summary>
    public static AuditOperation AskOwnerReplacement { get; } = new("AskOwnerReplacement");

    /// <summary>The bot told the admins that an owner who left was not replaced.</summary>
    public static AuditOperation OwnerNotReplaced { get; } = new("OwnerNotReplaced");

    public static AuditOperation RequestOwnerChange { get; } = new("RequestOwnerChange");

    public static AuditOperation RequestExpired { get; } = new("RequestExpired");

    public static AuditOperation ViewAudit { get; } = new("ViewAudit");

    public static AuditOperation SnoozeNotices { get; } = new("SnoozeNotices");

    public static AuditOperation AcknowledgeNotices { get; } = new("AcknowledgeNotices");

    public static AuditOperation EditPolicy { get; } = new("EditPolicy");

    public static AuditOperation ScanNow { get; } = new("ScanNow");

    /// <summary>An admin scope added, changed or removed in Teams (or an attempt refused).</summary>
    public static AuditOperation EditAdminScope { get; } = new("EditAdminScope");

    public static AuditOperation ExportAudit { get; } = new("ExportAudit");

    public static AuditOperation ExportCompliance { get; } = new("ExportCompliance");

    /// <summary>A request for a new app registration: submitted, or refused (bad input, the feature turned off).</summary>
    public static AuditOperation RequestApp { get; } = new("RequestApp");

    /// <summary>An admin's approval or denial of a new app registration (or a refused attempt to decide).</summary>
    public static AuditOperation DecideAppRequest { get; } = new("DecideAppRequest");

    /// <summary>Creating an approved app registration in Entra: succeeded (what was not done listed) or failed.</summary>
    public static AuditOperation CreateApp { get; } = new("CreateApp");

    /// <summary>An admin command someone who is not an admin tried, e.g. <c>Admin:compliance</c>.</summary>
    public static AuditOperation AdminCommand(string command) => new("Admin:" + command);

    public override string ToString() => Name;
}

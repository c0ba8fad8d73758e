namespace CredentialBot.Admin.Export;

/// <summary>What can be exported.</summary>
public enum ExportKind
{
    Audit,
    Compliance,
}

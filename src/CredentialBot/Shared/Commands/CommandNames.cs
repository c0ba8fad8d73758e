namespace CredentialBot.Shared.Commands;

/// <summary>
/// Every bot command name in one place. The manifest's <c>commandLists</c> must use the same titles;
/// a test compares them.
/// </summary>
public static class CommandNames
{
    public const string Help = "help";
    public const string MyApps = "my apps";
    public const string Status = "status";
    public const string Elevate = "elevate";
    public const string Audit = "audit";
    public const string Compliance = "compliance";
    public const string ScanNow = "scan now";
    public const string Policies = "policies";
    public const string Policy = "policy";
    public const string ImportOwners = "import owners";
    public const string ExportAudit = "export audit";
    public const string ExportCompliance = "export compliance";
    public const string Scopes = "scopes";

    public const string RequestApp = "request app";
}

namespace CredentialBot.Domain;

/// <summary>The posture checks, named once, in the order the compliance summary lists them.</summary>
public static class PostureChecks
{
    public const string AppRegistration = "Users can register apps";
    public const string UserConsent = "Users can consent to apps";
    public const string AppManagementPolicy = "App-management policy";
    public const string AdminConsentWorkflow = "Admin consent workflow";
    public const string OverlongCredentials = "Credentials longer than allowed";
    public const string UnownedApps = "App registrations without an owner";

    public static IReadOnlyList<string> All { get; } = [AppRegistration, UserConsent, AppManagementPolicy, AdminConsentWorkflow, OverlongCredentials, UnownedApps];
}

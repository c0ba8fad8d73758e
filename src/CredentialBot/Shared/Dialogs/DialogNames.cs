namespace CredentialBot.Shared.Dialogs;

/// <summary>Names of the dialogs, used by the cards that open them and by the dialogs' registrations.</summary>
public static class DialogNames
{
    public const string Rotate = "rotate";
    public const string RotateCertificate = "rotate-certificate";
    public const string Elevate = "elevate";
    public const string Owner = "owner";
    public const string Policy = "policy";
    public const string Scope = "scope";

    public const string RequestApp = "request-app";
}

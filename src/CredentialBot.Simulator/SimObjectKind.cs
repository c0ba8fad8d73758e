namespace CredentialBot.Simulator;

/// <summary>Whether a directory object is an application or a service principal.</summary>
public enum SimObjectKind
{
    Application,
    ServicePrincipal,
}

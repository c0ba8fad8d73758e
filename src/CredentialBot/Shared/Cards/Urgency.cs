namespace CredentialBot.Shared.Cards;

/// <summary>Urgency bands used on cards.</summary>
public enum Urgency
{
    None,
    Healthy,
    Warning,
    Critical,
    Expired,
}

namespace CredentialBot.Simulator;

/// <summary>A person in the simulated directory.</summary>
public sealed record SimUser(string Id, string DisplayName, string UserPrincipalName, string? Mail, bool AccountEnabled = true);

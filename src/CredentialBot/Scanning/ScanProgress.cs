using CredentialBot.Domain;

namespace CredentialBot.Scanning;

/// <summary>Where a running scan is: the collection being read and how many of its Apps are stored so far.</summary>
public sealed record ScanProgress(AppKind Collection, int AppsStored, ScanMode Mode);

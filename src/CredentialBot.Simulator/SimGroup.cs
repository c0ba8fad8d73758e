namespace CredentialBot.Simulator;

/// <summary>A security group; members are user or group ids (nesting is allowed).</summary>
public sealed record SimGroup(string Id, string DisplayName, IReadOnlyList<string> MemberIds);

namespace CredentialBot.Simulator;

/// <summary>A PIM schedule request as received: who, which role, which scope, for how long.</summary>
public sealed record SimRoleAssignmentRequest(string Id, string Action, string PrincipalId, string RoleDefinitionId, string DirectoryScopeId, DateTimeOffset StartsAt, TimeSpan Duration, string? Justification, string? TicketNumber);

namespace CredentialBot.Shared.Jobs;

/// <summary>A chore registered with <c>AddJanitorChore</c>: the janitor resolves each in a scope of its own, in this order.</summary>
public sealed record JanitorChoreType(Type Type);

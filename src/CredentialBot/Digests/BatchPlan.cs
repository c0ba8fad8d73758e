using CredentialBot.Domain;

namespace CredentialBot.Digests;

/// <summary>What planning a scan batch did: the notices it queued, and each App of the batch as its policy judged it.</summary>
public sealed record BatchPlan(int Planned, IReadOnlyList<AppCompliance> Judged);

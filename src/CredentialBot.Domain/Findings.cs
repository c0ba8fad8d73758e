namespace CredentialBot.Domain;

/// <summary>One thing wrong with an App under its Policy. Named for its effect.</summary>
public abstract record Finding(string AppObjectId)
{
    /// <summary>Sort key: lower is more urgent.</summary>
    public abstract int Urgency { get; }

    /// <summary>A one-line, human-readable statement of the finding.</summary>
    public abstract string Describe(DateTimeOffset now);
}

/// <summary>A credential is inside an expiry stage (<see cref="StageDays"/> is the threshold it crossed).</summary>
public sealed record CredentialExpiringSoon(string AppObjectId, Credential Credential, int StageDays) : Finding(AppObjectId)
{
    public override int Urgency => 1_000 + Math.Max(0, StageDays);

    public override string Describe(DateTimeOffset now)
    {
        var days = Credential.DaysLeft(now);
        return $"{KindName(Credential)} '{Credential.DisplayName ?? Credential.KeyId}' expires in {days} {(days == 1 ? "day" : "days")} ({Credential.EndsAt:yyyy-MM-dd})";
    }

    internal static string KindName(Credential c) => c.Kind == CredentialKind.Secret ? "Secret" : "Certificate";
}

/// <summary>A credential has expired.</summary>
public sealed record CredentialExpired(string AppObjectId, Credential Credential) : Finding(AppObjectId)
{
    public override int Urgency => 0;

    public override string Describe(DateTimeOffset now) =>
        $"{CredentialExpiringSoon.KindName(Credential)} '{Credential.DisplayName ?? Credential.KeyId}' expired on {Credential.EndsAt:yyyy-MM-dd}";
}

/// <summary>Fewer active owners of a kind than the policy requires.</summary>
public sealed record TooFewOwners(string AppObjectId, OwnerKind Kind, int Required, int Actual) : Finding(AppObjectId)
{
    public override int Urgency => 2_000;

    public override string Describe(DateTimeOffset now) =>
        $"Too few {(Kind == OwnerKind.Entra ? "Entra" : Kind.ToString().ToLowerInvariant())} owners: {Actual} of {Required} required";
}

/// <summary>An owner is disabled or deleted in the directory and cannot act.</summary>
public sealed record OwnerDisabledOrDeleted(string AppObjectId, Owner Owner) : Finding(AppObjectId)
{
    public override int Urgency => 2_100;

    public override string Describe(DateTimeOffset now) =>
        $"{Owner.Kind} owner {Owner.DisplayName} is {(Owner.Deleted ? "deleted" : "disabled")}";
}

namespace CredentialBot.Store.Entities;

/// <summary>A request for a new app registration (Domain's <c>AppRegistrationRequest</c>), from submission to its end.</summary>
public sealed class AppRegistrationRequestRecord
{
    public long Id { get; set; }

    public required string DisplayName { get; set; }

    public required string Purpose { get; set; }

    public Domain.AppRegistrationType Type { get; set; }

    /// <summary>The technical owners as resolved when the request was made: JSON of object id, name and UPN.</summary>
    public required string TechnicalOwners { get; set; }

    public required string BusinessOwnerObjectId { get; set; }

    public required string BusinessOwnerName { get; set; }

    public string? BusinessOwnerUpn { get; set; }

    public required string PolicyName { get; set; }

    public string? Ticket { get; set; }

    public required string RequesterObjectId { get; set; }

    public string? RequesterName { get; set; }

    public Domain.AppRegistrationRequestStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset DecideBy { get; set; }

    public string? DecidedByObjectId { get; set; }

    public string? DecidedByName { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    /// <summary>Why it was denied (the approver's words, shown to the requester).</summary>
    public string? Reason { get; set; }

    /// <summary>The object id of the app registration created on approval.</summary>
    public string? CreatedAppObjectId { get; set; }

    /// <summary>What creation did not do, or why it failed, in sentences.</summary>
    public string? Outcome { get; set; }

    /// <summary>Where the approval cards were posted (JSON written by the host), to redraw them after the decision.</summary>
    public string? ApprovalCards { get; set; }
}

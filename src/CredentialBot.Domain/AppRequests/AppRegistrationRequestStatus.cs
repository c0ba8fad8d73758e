namespace CredentialBot.Domain;

/// <summary>
/// Where a request for a new app registration is: <see cref="Pending"/> until an admin decides (or it lapses);
/// <see cref="Approved"/> while the app is being created; then <see cref="Created"/> or <see cref="Failed"/>.
/// Each step happens once: every change is a conditional update from the step before.
/// </summary>
public enum AppRegistrationRequestStatus
{
    Pending,

    /// <summary>Approved, and the app is being created in Entra (a request left here was interrupted mid-way).</summary>
    Approved,

    Created,

    /// <summary>Approved, but Entra did not create the app; the request is closed and the requester can ask again.</summary>
    Failed,

    Denied,

    Expired,
}

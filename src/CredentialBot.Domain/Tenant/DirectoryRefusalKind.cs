namespace CredentialBot.Domain;

/// <summary>Why the directory did not do or tell what was asked. Each is an expected answer, never a bug.</summary>
public enum DirectoryRefusalKind
{
    /// <summary>The bot lacks a Graph permission (403): <see cref="DirectoryRefusal.RequiredPermission"/> names it.</summary>
    MissingPermission,

    /// <summary>The tenant's licence does not include the feature (Graph's reports need Microsoft Entra ID P1 or P2).</summary>
    NotLicensed,

    /// <summary>The object is not there (any more).</summary>
    NotFound,

    /// <summary>The directory refused the request's content (400): a bad certificate, a duplicate key id, a policy limit.</summary>
    Invalid,

    /// <summary>The directory could not answer now (an outage, a timeout, an endpoint it does not serve).</summary>
    Unavailable,
}

namespace CredentialBot.Store.Services;

/// <summary>
/// The answer of <see cref="ConnectorRequestWindow.TryStartAsync"/>: the request's id when it may go now, otherwise how
/// long to wait before asking again.
/// </summary>
public sealed record ConnectorRequestAdmission(long? Id, TimeSpan RetryAfter)
{
    public bool Admitted => Id is not null;
}

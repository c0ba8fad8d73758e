namespace CredentialBot.Domain;

/// <summary>
/// Who may decide a request for a new app registration: a CredentialBot admin, or a scoped admin whose scope would
/// cover the new App (<see cref="AppRegistrationRequest.Prospect"/>) — never the requester. The only place the request
/// flow consults <see cref="AdminScope"/>, so a change to what scopes mean lands here once.
/// </summary>
public static class AppRegistrationApprovers
{
    public static Decision MayDecide(Principal who, AppRegistrationRequest request, IReadOnlyList<AdminScope> scopesOfWho)
    {
        ArgumentNullException.ThrowIfNull(who);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(scopesOfWho);
        if (string.IsNullOrEmpty(who.ObjectId))
        {
            return Decision.Refuse("Teams did not say who you are.");
        }

        if (string.Equals(who.ObjectId, request.RequesterObjectId, StringComparison.OrdinalIgnoreCase))
        {
            return Decision.Refuse("You cannot approve or deny your own request: another admin decides it.");
        }

        if (who.IsAdmin)
        {
            return Decision.Allow("CredentialBot admin");
        }

        var prospect = request.Prospect();
        if (scopesOfWho.FirstOrDefault(s => s.Covers(prospect)) is { } scope)
        {
            return Decision.Allow($"admin of scope {scope.Name}, which the new app falls in");
        }

        return Decision.Refuse(scopesOfWho.Count > 0
            ? $"A new app named '{request.DisplayName}' would not fall in your scope ({string.Join("; ", scopesOfWho.Select(s => s.Describe()))}): only a CredentialBot admin or an admin of a scope covering it can decide."
            : "Only a CredentialBot admin, or a scoped admin whose scope the new app would fall in, can approve or deny a new app registration.");
    }
}

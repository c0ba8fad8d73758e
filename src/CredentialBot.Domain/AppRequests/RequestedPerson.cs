namespace CredentialBot.Domain;

/// <summary>A person named in a request for a new app, as the directory resolved them when it was made.</summary>
public sealed record RequestedPerson(string ObjectId, string DisplayName, string? UserPrincipalName)
{
    public static RequestedPerson From(Person person)
    {
        ArgumentNullException.ThrowIfNull(person);
        return new RequestedPerson(person.ObjectId, person.DisplayName, person.UserPrincipalName ?? person.Mail);
    }
}

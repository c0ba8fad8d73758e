using Microsoft.Extensions.Options;

namespace CredentialBot.Directory;

/// <summary>
/// The app identity as read from configuration (see <see cref="AppIdentityConfiguration"/>): the token source of each
/// consumer in <see cref="AppIdentityNames"/>, and what is wrong with the settings of those that are in use.
/// </summary>
public sealed class AppIdentityOptions
{
    /// <summary>Token sources by consumer name; a consumer without one cannot get tokens.</summary>
    public Dictionary<string, TokenSource> Sources { get; } = new(StringComparer.Ordinal);

    /// <summary>One sentence per problem, each naming the setting to fix; never a secret's value.</summary>
    public List<string> Problems { get; } = [];
}

/// <summary>Stops start-up with every identity problem, each naming its setting.</summary>
public sealed class AppIdentityOptionsValidator : IValidateOptions<AppIdentityOptions>
{
    public ValidateOptionsResult Validate(string? name, AppIdentityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(options.Problems);
    }
}

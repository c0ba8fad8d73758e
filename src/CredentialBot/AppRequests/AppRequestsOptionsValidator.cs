using Microsoft.Extensions.Options;

namespace CredentialBot.AppRequests;

/// <summary>Refuses, at start, app requests turned on without the bot's own service principal to own what it creates.</summary>
public sealed class AppRequestsOptionsValidator : IValidateOptions<AppRequestsOptions>
{
    private const int MaxIdLength = 128;

    public ValidateOptionsResult Validate(string? name, AppRequestsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var id = options.ManagingServicePrincipalId;
        if (!options.Enabled && string.IsNullOrEmpty(id))
        {
            return ValidateOptionsResult.Success;
        }

        if (string.IsNullOrWhiteSpace(id))
        {
            return ValidateOptionsResult.Fail($"{AppRequestsOptions.SectionName}:ManagingServicePrincipalId: set the object id of CredentialBot's own service principal (Entra admin center → Enterprise applications → CredentialBot → Object ID) when {AppRequestsOptions.SectionName}:Enabled is true; the bot becomes an owner of every app it creates.");
        }

        if (id.Length > MaxIdLength || id.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '/' or '?' or '#' or '%'))
        {
            return ValidateOptionsResult.Fail($"{AppRequestsOptions.SectionName}:ManagingServicePrincipalId: \"{(id.Length > 40 ? id[..40] + "…" : id)}\" is not an object id (at most {MaxIdLength} characters, no spaces or URL characters).");
        }

        return ValidateOptionsResult.Success;
    }
}

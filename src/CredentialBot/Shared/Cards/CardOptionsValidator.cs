using Microsoft.Extensions.Options;

namespace CredentialBot.Shared.Cards;

/// <summary>A dialog-button style that does not exist stops start-up, naming the setting.</summary>
public sealed class CardOptionsValidator : IValidateOptions<CardOptions>
{
    public ValidateOptionsResult Validate(string? name, CardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.DialogButtons is null || Enum.IsDefined(options.DialogButtons.Value)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Cards:DialogButtons must be {DialogButtons.TaskModule} or {DialogButtons.Inline}.");
    }
}

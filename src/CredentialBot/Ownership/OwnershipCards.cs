using CredentialBot.BotFramework.Cards;
using CredentialBot.Domain;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Dialogs;

namespace CredentialBot.Ownership;

/// <summary>The owner dialog's form: add an owner, transfer ownership, or remove an owner.</summary>
public static class OwnershipCards
{
    public static AdaptiveCard OwnerForm(App app, string mode, DialogData submit, IReadOnlyList<string>? problems = null, string? person = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        var (title, explanation, personLabel) = mode switch
        {
            OwnerModes.Transfer => ($"Transfer your ownership of {CardText.Literal(app.DisplayName, 80)}", "The person you name replaces you as an owner of the kind you choose. Another current owner or an admin approves the transfer.", "Transfer to (user principal name or email)"),
            OwnerModes.Remove => ($"Remove an owner of {CardText.Literal(app.DisplayName, 80)}", "An owner a policy requires cannot be removed while they are the last of their kind.", "Owner to remove (user principal name or email)"),
            _ => ($"Add an owner to {CardText.Literal(app.DisplayName, 80)}", "Entra owners and admins add owners directly; anyone else's request goes to a current owner for approval.", "Person (user principal name or email)"),
        };
        var body = new List<CardElement> { CardParts.Heading(title), CardParts.Text(explanation) };
        body.AddRange(CardParts.Problems(problems));
        body.Add(new InputText { Id = "person", Label = personLabel, IsRequired = true, MaxLength = 256, Value = person, Style = "email", ErrorMessage = "Name the person." });
        body.Add(new InputChoiceSet
        {
            Id = "kind",
            Label = "Kind of owner",
            Style = "expanded",
            Value = "technical-rotate",
            Choices = [.. OwnerKindChoice.All.Select(c => new Choice(c.Title, c.Value))],
        });
        body.Add(new InputText { Id = "reason", Label = "Reason", IsMultiline = true, MaxLength = 500 });
        return CardParts.Card(body, [CardParts.SubmitDialog(mode == OwnerModes.Remove ? "Remove the owner" : "Submit", submit, mode == OwnerModes.Remove ? "destructive" : "positive")]);
    }
}

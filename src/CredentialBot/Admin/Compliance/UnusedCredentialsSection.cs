using CredentialBot.BotFramework.Cards;
using CredentialBot.Shared.Cards;
using CredentialBot.Store.Services;

namespace CredentialBot.Admin.Compliance;

/// <summary>The compliance summary's lines about credential use: the latest count of unused credentials, or why there is none.</summary>
public static class UnusedCredentialsSection
{
    public static IReadOnlyList<CardElement> Build(UsageSurvey? survey) => survey switch
    {
        null => [CardParts.Section("Credential use"), CardParts.Subtle("Not counted yet: the janitor counts unused credentials from Entra's usage reports a few minutes after start-up.")],
        { Available: false } => [CardParts.Section("Credential use"), CardParts.Text(CardText.Literal(survey.Explanation, 400), Urgency.Warning)],
        _ =>
        [
            CardParts.Section("Credential use"),
            CardParts.Facts(($"Unused for {survey.UnusedDays} days", $"{survey.Unused} of {survey.Credentials} credentials")),
            CardParts.Subtle($"From Entra's sign-in reports at {CardText.DateTime(survey.At)}. An unused credential is one nobody signed in with for {survey.UnusedDays} days (expired ones and newer ones are not counted): a candidate for removal."),
        ],
    };
}

using System.Globalization;
using System.Text.Json;
using CredentialBot.BotFramework.Cards;
using CredentialBot.Domain;
using CredentialBot.Shared.Cards;

namespace CredentialBot.Admin.Import;

/// <summary>Cards of the owner import: every bad row, or a preview with a confirm button, then the result.</summary>
public static class ImportCards
{
    private const int MaxShown = 40;

    public static AdaptiveCard Problems(OwnerImportPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var body = new List<CardElement>
        {
            CardParts.Heading($"{plan.Problems.Count} bad {(plan.Problems.Count == 1 ? "row" : "rows")}: nothing was imported"),
            CardParts.Text("The import is all or nothing. Fix these rows and send the file again.", Urgency.Critical),
            CardParts.Table(["Line", "What is wrong"], plan.Problems.Take(MaxShown).Select(p => new CardCell[] { new(p.Line.ToString(CultureInfo.InvariantCulture)), new(CardText.Literal(p.Reason, 300)) })),
        };
        if (plan.Problems.Count > MaxShown)
        {
            body.Add(CardParts.Subtle($"…and {plan.Problems.Count - MaxShown} more. The import-owners CLI verb lists them all."));
        }

        return CardParts.Card(body);
    }

    public static AdaptiveCard Preview(OwnerImportPlan plan, string csv, string confirmId)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var body = new List<CardElement>
        {
            CardParts.Heading($"Import {plan.Rows.Count} {(plan.Rows.Count == 1 ? "owner" : "owners")}?"),
            CardParts.Text("Every row is valid. Nothing changes until you confirm; then all rows are imported together."),
            CardParts.Table(["App", "Person", "Kind"], plan.Rows.Take(MaxShown).Select(r => new CardCell[]
            {
                new(CardText.Literal(r.App.DisplayName, 50)),
                new(CardText.Literal(r.Person.DisplayName, 50)),
                new(r.Kind == OwnerKind.Technical ? (r.ManageCredentials ? "Technical, can rotate" : "Technical") : "Business"),
            })),
        };
        if (plan.Rows.Count > MaxShown)
        {
            body.Add(CardParts.Subtle($"…and {plan.Rows.Count - MaxShown} more rows."));
        }

        return CardParts.Card(body, [new ActionExecute
        {
            Title = $"Import {plan.Rows.Count} {(plan.Rows.Count == 1 ? "owner" : "owners")}",
            Verb = CardVerbs.ConfirmImport,
            Style = "positive",
            Data = JsonSerializer.SerializeToElement(new ImportActionData(csv, confirmId), CardDataJson.Default.ImportActionData),
        }]);
    }
}

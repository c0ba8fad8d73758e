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
        var body = new List<CardElement>();
        if (plan.Problems.Count == 0)
        {
            body.Add(CardParts.Heading("No row names an app in your scope: nothing was imported"));
        }
        else
        {
            body.Add(CardParts.Heading($"{plan.Problems.Count} bad {(plan.Problems.Count == 1 ? "row" : "rows")}: nothing was imported"));
            body.Add(CardParts.Text("The import is all or nothing. Fix these rows and send the file again.", Urgency.Critical));
            body.Add(LineTable(plan.Problems, "What is wrong"));
            if (plan.Problems.Count > MaxShown)
            {
                body.Add(CardParts.Subtle($"…and {plan.Problems.Count - MaxShown} more. The import-owners CLI verb lists them all."));
            }
        }

        body.AddRange(OutsideScope(plan));
        return CardParts.Card(body);
    }

    public static AdaptiveCard Preview(OwnerImportPlan plan, string csv, string confirmId)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var body = new List<CardElement>
        {
            CardParts.Heading($"Import {plan.Rows.Count} {(plan.Rows.Count == 1 ? "owner" : "owners")}?"),
            CardParts.Text(plan.OutsideScope.Count == 0
                ? "Every row is valid. Nothing changes until you confirm; then all rows are imported together."
                : "Every row in your scope is valid. Nothing changes until you confirm; then all those rows are imported together."),
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

        body.AddRange(OutsideScope(plan));

        return CardParts.Card(body, [new ActionExecute
        {
            Title = $"Import {plan.Rows.Count} {(plan.Rows.Count == 1 ? "owner" : "owners")}",
            Verb = CardVerbs.ConfirmImport,
            Style = "positive",
            Data = JsonSerializer.SerializeToElement(new ImportActionData(csv, confirmId), CardDataJson.Default.ImportActionData),
        }]);
    }

    /// <summary>A scoped admin's refused rows, by line: what the import leaves out (nothing for a global admin).</summary>
    private static IEnumerable<CardElement> OutsideScope(OwnerImportPlan plan)
    {
        var refused = plan.OutsideScope;
        if (refused.Count == 0)
        {
            yield break;
        }

        yield return CardParts.Section($"{refused.Count} {(refused.Count == 1 ? "row" : "rows")} refused: outside your admin scope");
        yield return CardParts.Text("These rows name apps your scope does not cover; they are left out, and the attempt is audited. A global admin can import them.", Urgency.Warning);
        yield return LineTable(refused, "Refused");
        if (refused.Count > MaxShown)
        {
            yield return CardParts.Subtle($"…and {refused.Count - MaxShown} more.");
        }
    }

    private static Table LineTable(IReadOnlyList<OwnerImportProblem> rows, string what) =>
        CardParts.Table(["Line", what], rows.Take(MaxShown).Select(p => new CardCell[] { new(p.Line.ToString(CultureInfo.InvariantCulture)), new(CardText.Literal(p.Reason, 300)) }));
}

using System.Text.Json;
using CredentialBot.BotFramework.Cards;
using CredentialBot.Shared.Dialogs;

namespace CredentialBot.Shared.Cards;

/// <summary>
/// The few building blocks every CredentialBot card is made of, so cards look alike and stay accessible:
/// headings use the heading style, every text wraps, urgency is said in words and reinforced by colour.
/// </summary>
public static class CardParts
{
    /// <summary>A fresh one-time id for a confirm-type card's button (see <c>AuditTrail.ConfirmOnceAsync</c>).</summary>
    public static string NewConfirmId() => Guid.NewGuid().ToString("N");

    public static AdaptiveCard Card(IReadOnlyList<CardElement> body, IReadOnlyList<CardAction>? actions = null) =>
        new() { Body = body, Actions = actions is { Count: > 0 } ? actions : null };

    public static TextBlock Heading(string text) =>
        new() { Text = text, Style = "heading", Size = "Large", Weight = "Bolder", Wrap = true };

    public static TextBlock Section(string text) =>
        new() { Text = text, Style = "heading", Size = "Medium", Weight = "Bolder", Wrap = true, Spacing = "Medium" };

    public static TextBlock Text(string text, Urgency urgency = Urgency.None) =>
        new() { Text = text, Wrap = true, Color = ColorOf(urgency) };

    public static TextBlock Subtle(string text) =>
        new() { Text = text, Wrap = true, IsSubtle = true, Size = "Small" };

    public static FactSet Facts(params (string Title, string Value)[] facts) =>
        new() { Facts = [.. facts.Select(f => new Fact(f.Title, f.Value))] };

    /// <summary>
    /// A table with a header row. When <paramref name="rowCommands"/> is given, selecting a row sends that command
    /// text as if the person had typed it, so rows open an app's status without a new action type.
    /// </summary>
    public static Table Table(IReadOnlyList<string> headers, IEnumerable<CardCell[]> rows, IEnumerable<string>? rowCommands = null)
    {
        var commands = rowCommands?.ToList();
        var tableRows = new List<TableRow>
        {
            new() { Cells = [.. headers.Select(h => new TableCell { Items = [new TextBlock { Text = h, Weight = "Bolder", Wrap = true }] })] },
        };
        var index = 0;
        foreach (var row in rows)
        {
            var command = commands is not null && index < commands.Count ? commands[index] : null;
            tableRows.Add(new TableRow
            {
                Cells = [.. row.Select((cell, column) => new TableCell
                {
                    Items = [new TextBlock { Text = cell.Text, Wrap = true, Color = ColorOf(cell.Urgency) }],
                    SelectAction = column == 0 && command is not null ? Command($"Open {cell.Text}", command) : null,
                })],
            });
            index++;
        }

        return new Table
        {
            FirstRowAsHeader = true,
            ShowGridLines = true,
            Columns = [.. headers.Select(_ => new TableColumnDefinition { Width = 1 })],
            Rows = tableRows,
        };
    }

    /// <summary>A button that runs a command as if it had been typed.</summary>
    public static ActionSubmit Command(string title, string command) =>
        new() { Title = title, Data = JsonSerializer.SerializeToElement(new CommandSubmitData(command), CardDataJson.Default.CommandSubmitData) };

    /// <summary>
    /// A button that opens a dialog: in Teams an Action.Submit with <c>msteams.type = task/fetch</c>; for clients
    /// without dialogs an Action.Execute that shows the dialog in the card (see <see cref="InlineDialogs"/>).
    /// </summary>
    public static CardAction OpenDialog(string title, string dialog, string appObjectId, string? subject = null, string? mode = null, DialogButtons buttons = DialogButtons.TaskModule) =>
        buttons == DialogButtons.Inline
            ? new ActionExecute { Title = title, Verb = CardVerbs.InlineDialog, Data = JsonSerializer.SerializeToElement(new DialogData(null, dialog, appObjectId, subject, mode, Open: true), CardDataJson.Default.DialogData) }
            : new ActionSubmit { Title = title, Data = JsonSerializer.SerializeToElement(new DialogData(TaskFetchMarker.Instance, dialog, appObjectId, subject, mode), CardDataJson.Default.DialogData) };

    /// <summary>A dialog's submit button: the inputs are merged into this data.</summary>
    public static ActionSubmit SubmitDialog(string title, DialogData data, string? style = null) =>
        new() { Title = title, Style = style, Data = JsonSerializer.SerializeToElement(data with { MsTeams = null }, CardDataJson.Default.DialogData) };

    /// <summary>Problems with what was submitted, each on its own line, in the attention colour.</summary>
    public static IEnumerable<CardElement> Problems(IReadOnlyList<string>? problems) =>
        problems is { Count: > 0 }
            ? [Text("Please fix the following:", Urgency.Critical), .. problems.Select(p => Text("• " + CardText.Literal(p, 300), Urgency.Critical))]
            : [];

    public static ActionOpenUrl OpenUrl(string title, Uri url) => new() { Title = title, Url = url.ToString() };

    private static string? ColorOf(Urgency urgency) => urgency switch
    {
        Urgency.Expired or Urgency.Critical => "Attention",
        Urgency.Warning => "Warning",
        Urgency.Healthy => "Good",
        _ => null,
    };
}

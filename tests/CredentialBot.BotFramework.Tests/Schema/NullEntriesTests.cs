using System.Text.Json;
using CredentialBot.BotFramework.Cards;
using CredentialBot.BotFramework.Invokes;
using CredentialBot.BotFramework.Schema;

namespace CredentialBot.BotFramework.Tests.Schema;

/// <summary>
/// A null inside any list Teams sends is dropped where JSON becomes records, so no handler meets a null entry
/// (a <c>membersAdded: [null]</c> used to reach the conversationUpdate handler and fail with a 500).
/// </summary>
public sealed class NullEntriesTests
{
    [Fact]
    public void MembersAddedAndRemoved_WithNullEntries_KeepOnlyTheRealMembers()
    {
        var activity = Parse("""{"type":"conversationUpdate","membersAdded":[null,{"id":"28:bot"},null],"membersRemoved":[null]}""");

        Assert.Equal("28:bot", Assert.Single(activity.MembersAdded!).Id);
        Assert.Empty(activity.MembersRemoved!);
    }

    [Fact]
    public void EntitiesAndAttachments_WithNullEntries_KeepOnlyTheRealOnes()
    {
        var activity = Parse("""{"type":"message","text":"<at>Bot</at> hi","recipient":{"id":"28:bot"},"entities":[null,{"type":"mention","text":"<at>Bot</at>","mentioned":{"id":"28:bot"}}],"attachments":[null]}""");

        Assert.Single(activity.Entities!);
        Assert.Empty(activity.Attachments!);
        Assert.Equal("hi", activity.GetCommandText());
    }

    [Fact]
    public void AnInvokeValuesList_WithNullEntries_KeepsOnlyTheRealOnes()
    {
        var query = JsonSerializer.Deserialize("""{"commandId":"findApp","parameters":[null,{"name":"query","value":"pay"}]}""", BotJsonContext.Default.MessagingExtensionQuery)!;

        Assert.Equal("query", Assert.Single(query.Parameters!).Name);
    }

    [Fact]
    public void ARosterPage_WithNullMembers_KeepsOnlyTheRealOnes()
    {
        var page = JsonSerializer.Deserialize("""{"members":[null,{"id":"29:a","objectId":"o"}]}""", BotJsonContext.Default.TeamsPagedMembers)!;

        Assert.Equal("o", Assert.Single(page.Members!).EntraObjectId);
    }

    [Fact]
    public void AnAbsentOrNullList_StaysNull()
    {
        Assert.Null(Parse("""{"type":"message"}""").MembersAdded);
        Assert.Null(Parse("""{"type":"message","membersAdded":null}""").MembersAdded);
    }

    [Theory]
    [InlineData("""{"type":"conversationUpdate","membersAdded":{"id":"28:bot"}}""")]
    [InlineData("""{"type":"conversationUpdate","membersAdded":"28:bot"}""")]
    [InlineData("""{"type":"conversationUpdate","membersAdded":[1]}""")]
    [InlineData("""{"type":"conversationUpdate","membersAdded":[{"id":"28:bot"}""")]
    public void AListThatIsNotAListOfObjects_IsAJsonError_NotAnythingElse(string json)
    {
        Assert.Throws<JsonException>(() => Parse(json));
    }

    [Fact]
    public void Writing_IsUnchanged_ForCardsWithNestedPolymorphicLists()
    {
        var card = new AdaptiveCard
        {
            Body = [new TextBlock { Text = "a" }, new Table { Rows = [new TableRow { Cells = [new TableCell { Items = [new TextBlock { Text = "b" }] }] }] }],
        };

        var json = JsonSerializer.Serialize(card, BotJsonContext.Default.AdaptiveCard);

        Assert.Contains("""{"type":"TableCell","items":[{"type":"TextBlock","text":"b"}]}""", json, StringComparison.Ordinal);
        Assert.Equal(json, JsonSerializer.Serialize(JsonSerializer.Deserialize(json, BotJsonContext.Default.AdaptiveCard), BotJsonContext.Default.AdaptiveCard));
    }

    private static Activity Parse(string json) => JsonSerializer.Deserialize(json, BotJsonContext.Default.Activity)!;
}

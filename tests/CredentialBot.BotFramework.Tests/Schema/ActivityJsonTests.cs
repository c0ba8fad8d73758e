using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialBot.BotFramework;
using CredentialBot.BotFramework.Schema;

namespace CredentialBot.BotFramework.Tests.Schema;

/// <summary>Activities as Teams sends them (specs/activity-protocol.md) parse into the model and survive a round trip.</summary>
public sealed class ActivityJsonTests
{
    public static TheoryData<string> GoldenActivities => new() { "channel-message.json", "installation-update.json", "card-action-invoke.json" };

    [Theory]
    [MemberData(nameof(GoldenActivities))]
    public void RoundTrip_KeepsEveryField_IncludingOnesTheModelDoesNotName(string file)
    {
        var original = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", file));

        var activity = JsonSerializer.Deserialize(original, BotJsonContext.Default.Activity)!;
        var written = JsonSerializer.Serialize(activity, BotJsonContext.Default.Activity);

        Assert.True(
            JsonNode.DeepEquals(Normalize(JsonNode.Parse(original)), Normalize(JsonNode.Parse(written))),
            $"Round trip changed {file}:\n{written}");
    }

    [Fact]
    public void ChannelMessage_ExposesTeamsContext()
    {
        var activity = Load("channel-message.json");

        Assert.Equal("channel", activity.Conversation!.ConversationType);
        Assert.False(activity.IsPersonal());
        Assert.Equal("72f988bf-0000-0000-0000-2d7cd011db47", activity.TenantId());
        Assert.Equal("19:team@thread.tacv2", activity.ChannelData!.Team!.Id);
        Assert.Equal("6b7b3b2a-2c4b-4175-8582-41c9e685c1b5", activity.From!.AadObjectId);
        Assert.Equal("status Payroll API", activity.GetCommandText());
    }

    [Fact]
    public void PersonalConversation_IsPersonal_AndTenantFallsBackToConversation()
    {
        var activity = Load("installation-update.json") with { ChannelData = null };

        Assert.True(activity.IsPersonal());
        Assert.Equal("b28fdbfd-0000-0000-0000-8881793f0f8f", activity.TenantId());
    }

    [Fact]
    public void NullFields_AreOmittedWhenWriting()
    {
        var json = JsonSerializer.Serialize(new Activity { Type = "message", Text = "hi" }, BotJsonContext.Default.Activity);

        Assert.Equal("""{"type":"message","text":"hi"}""", json);
    }

    [Fact]
    public void Reply_SwapsFromAndRecipient_AndTargetsTheSameConversation()
    {
        var inbound = Load("channel-message.json");

        var reply = inbound.CreateReply("done");

        Assert.Equal(inbound.Recipient!.Id, reply.From!.Id);
        Assert.Equal(inbound.From!.Id, reply.Recipient!.Id);
        Assert.Equal(inbound.Conversation!.Id, reply.Conversation!.Id);
        Assert.Equal(inbound.Id, reply.ReplyToId);
        Assert.Equal("done", reply.Text);
    }

    private static Activity Load(string file) =>
        JsonSerializer.Deserialize(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", file)), BotJsonContext.Default.Activity)!;

    /// <summary>Timestamps are compared as instants: the model writes "+00:00" where Teams wrote "Z".</summary>
    private static JsonNode? Normalize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    obj[name] = Normalize(child?.DeepClone());
                }

                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    array[i] = Normalize(array[i]?.DeepClone());
                }

                return array;
            case JsonValue value when value.TryGetValue<string>(out var text)
                && text.Length >= 20 && text[4] == '-' && text[10] == 'T'
                && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var instant):
                return JsonValue.Create(instant.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            default:
                return node;
        }
    }
}

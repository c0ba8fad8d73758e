using CredentialBot.BotFramework.Schema;

namespace CredentialBot.BotFramework.Tests.Schema;

/// <summary>Command text is the message without the bot's own mention (specs/activity-protocol.md §4).</summary>
public sealed class CommandTextTests
{
    private const string BotId = "28:bot";

    [Fact]
    public void TheBotsMention_IsStripped()
    {
        var activity = Message("<at>CredBot</at> my apps", Mention(BotId, "<at>CredBot</at>"));

        Assert.Equal("my apps", activity.GetCommandText());
    }

    [Fact]
    public void MentionMatching_IgnoresCase()
    {
        var activity = Message("<AT>CredBot</AT> help", Mention(BotId, "<at>CredBot</at>"));

        Assert.Equal("help", activity.GetCommandText());
    }

    [Fact]
    public void AMentionWithoutText_IsRebuiltFromTheName()
    {
        var activity = Message("<at>CredBot</at> status Payroll", new Entity { Type = "mention", Mentioned = new ChannelAccount { Id = BotId, Name = "CredBot" } });

        Assert.Equal("status Payroll", activity.GetCommandText());
    }

    [Fact]
    public void OtherPeoplesMentions_StayVerbatim_SoTheyCanBeMatchedToTheirEntities()
    {
        var activity = Message("<at>CredBot</at> add owner <at>Megan</at>", Mention(BotId, "<at>CredBot</at>"), Mention("29:megan", "<at>Megan</at>"));

        Assert.Equal("add owner <at>Megan</at>", activity.GetCommandText());
    }

    [Fact]
    public void AMentionTypedAsText_WithoutAnEntity_IsNotTrusted()
    {
        var activity = Message("<at>CredBot</at> help");

        Assert.Equal("<at>CredBot</at> help", activity.GetCommandText());
    }

    [Fact]
    public void HtmlEntitiesAndNonBreakingSpaces_BecomePlainText()
    {
        var activity = Message("<p><at>CredBot</at>&nbsp;status&nbsp; R&amp;D   portal</p>", Mention(BotId, "<at>CredBot</at>"));

        Assert.Equal("status R&D portal", activity.GetCommandText());
    }

    [Fact]
    public void NoText_IsEmpty()
    {
        Assert.Equal(string.Empty, new Activity { Type = "message" }.GetCommandText());
    }

    private static Entity Mention(string id, string text) => new() { Type = "mention", Text = text, Mentioned = new ChannelAccount { Id = id } };

    private static Activity Message(string text, params Entity[] entities) => new()
    {
        Type = "message",
        Text = text,
        Recipient = new ChannelAccount { Id = BotId, Name = "CredBot" },
        Entities = entities,
    };
}

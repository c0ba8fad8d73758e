using CredentialBot.BotFramework.Schema;

namespace CredentialBot.BotFramework.Connector;

/// <summary>What happened to an outbound call.</summary>
public enum SendOutcome
{
    /// <summary>Accepted by the Connector.</summary>
    Sent,

    /// <summary>Still throttled (429) after retries; try again later.</summary>
    Throttled,

    /// <summary>The conversation or user is gone (403 roster/blocked, 404): stop sending there.</summary>
    RecipientGone,

    /// <summary>Anything else: bad request, refused service URL, transport failure after retries.</summary>
    Failed,
}

/// <summary>The result of an outbound call, with the new activity or conversation id when sent.</summary>
public sealed record SendResult(SendOutcome Outcome, string? Id = null, TimeSpan? RetryAfter = null, int? StatusCode = null, string? ErrorCode = null)
{
    /// <summary>True when sent.</summary>
    public bool Succeeded => Outcome == SendOutcome.Sent;
}

/// <summary>The Bot Connector REST API, relative to a conversation's serviceUrl.</summary>
public interface IConnectorClient
{
    /// <summary><c>POST v3/conversations/{id}/activities/{activityId}</c>.</summary>
    Task<SendResult> ReplyToActivityAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken = default);

    /// <summary><c>POST v3/conversations/{id}/activities</c>.</summary>
    Task<SendResult> SendToConversationAsync(string serviceUrl, string conversationId, Activity activity, CancellationToken cancellationToken = default);

    /// <summary><c>PUT v3/conversations/{id}/activities/{activityId}</c>.</summary>
    Task<SendResult> UpdateActivityAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken = default);

    /// <summary><c>POST v3/conversations</c>: a 1:1 conversation (tenant + one 29: member); the id is the conversation id.</summary>
    Task<SendResult> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken = default);

    /// <summary><c>GET v3/conversations/{id}/members/{userId}</c>; null when not found or not allowed.</summary>
    Task<TeamsChannelAccount?> GetMemberAsync(string serviceUrl, string conversationId, string userId, CancellationToken cancellationToken = default);

    /// <summary><c>GET v3/conversations/{id}/pagedmembers</c>: one page of a team's roster; null when not allowed.</summary>
    Task<TeamsPagedMembers?> GetPagedMembersAsync(string serviceUrl, string conversationId, string? continuationToken, CancellationToken cancellationToken = default);
}

/// <summary>Supplies the outbound bearer token for the Connector; null means none (local mode).</summary>
public interface IConnectorTokenProvider
{
    /// <summary>A token for scope <c>https://api.botframework.com/.default</c>, or null.</summary>
    ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken);
}

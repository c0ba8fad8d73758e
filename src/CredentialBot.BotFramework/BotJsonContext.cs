using System.Text.Json.Serialization;
using CredentialBot.BotFramework.Cards;
using CredentialBot.BotFramework.Invokes;
using CredentialBot.BotFramework.Schema;

namespace CredentialBot.BotFramework;

/// <summary>
/// The one source-generated serializer context for the wire protocol: camelCase names come from the
/// attributes, nulls are skipped when writing (Teams expects absent rather than null fields), and null entries in
/// a list are dropped when reading (<see cref="SkipNullEntriesConverter"/>).
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = false,
    Converters = [typeof(SkipNullEntriesConverter)])]
[JsonSerializable(typeof(Activity))]
[JsonSerializable(typeof(AdaptiveCard))]
[JsonSerializable(typeof(ConversationParameters))]
[JsonSerializable(typeof(ResourceResponse))]
[JsonSerializable(typeof(ConversationResourceResponse))]
[JsonSerializable(typeof(TeamsChannelAccount))]
[JsonSerializable(typeof(TeamsPagedMembers))]
[JsonSerializable(typeof(InvokeError))]
[JsonSerializable(typeof(AdaptiveCardInvokeValue))]
[JsonSerializable(typeof(AdaptiveCardInvokeResponse))]
[JsonSerializable(typeof(TaskModuleRequest))]
[JsonSerializable(typeof(TaskModuleResponse))]
[JsonSerializable(typeof(TaskModuleTaskInfo))]
[JsonSerializable(typeof(MessagingExtensionQuery))]
[JsonSerializable(typeof(AppBasedLinkQuery))]
[JsonSerializable(typeof(FileDownloadInfo))]
[JsonSerializable(typeof(MessagingExtensionResponse))]
[JsonSerializable(typeof(string))]
public sealed partial class BotJsonContext : JsonSerializerContext;

using System.Text.Json.Serialization;
using CredentialBot.Admin.Import;
using CredentialBot.AppRequests;
using CredentialBot.Digests;
using CredentialBot.Requests;
using CredentialBot.Rotation;
using CredentialBot.Rotation.Receipts;
using CredentialBot.Shared.Dialogs;
using CredentialBot.Shared.Messaging;
using CredentialBot.Status;

namespace CredentialBot.Shared.Cards;

/// <summary>
/// Source-generated JSON for the data the host's cards carry (and read back when a button is pressed), and for the
/// record of where cards were posted. A feature that adds card data adds its type here; routes find it by type.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DialogData))]
[JsonSerializable(typeof(RequestActionData))]
[JsonSerializable(typeof(AppRequestActionData))]
[JsonSerializable(typeof(RemovalActionData))]
[JsonSerializable(typeof(StillUsedDecisionData))]
[JsonSerializable(typeof(AppActionData))]
[JsonSerializable(typeof(ImportActionData))]
[JsonSerializable(typeof(CommandSubmitData))]
[JsonSerializable(typeof(PauseNoticesData))]
[JsonSerializable(typeof(IReadOnlyList<PostedCard>))]
internal sealed partial class CardDataJson : JsonSerializerContext;

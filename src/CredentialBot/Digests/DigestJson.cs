using System.Text.Json.Serialization;
using CredentialBot.Domain;

namespace CredentialBot.Digests;

/// <summary>
/// Source-generated JSON of what digests store and post: the outbox payload of one notice (only ids and the stage: the
/// card is rebuilt from the store when sent) and the escalation webhook's payload.
/// </summary>
[JsonSerializable(typeof(Notice))]
[JsonSerializable(typeof(EscalationPayload))]
internal sealed partial class DigestJson : JsonSerializerContext;

namespace CredentialBot.BotFramework.Tests.Hosting;

/// <summary>What the endpoint answered: the status and, for a JSON refusal, its code and message.</summary>
internal sealed record EndpointAnswer(int Status, string? Code, string? Message);

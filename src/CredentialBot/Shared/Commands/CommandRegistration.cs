namespace CredentialBot.Shared.Commands;

/// <summary>A command's info and type, declared at registration.</summary>
/// <param name="Info">Its name, usage and description.</param>
/// <param name="CommandType">The <see cref="IBotCommand"/> resolved per request.</param>
public sealed record CommandRegistration(CommandInfo Info, Type CommandType);

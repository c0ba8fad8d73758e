namespace CredentialBot.Shared.Dialogs;

/// <summary>A dialog's name and type, declared at registration.</summary>
/// <param name="Name">The name cards open it by.</param>
/// <param name="DialogType">The <see cref="IDialog"/> resolved per request.</param>
/// <param name="ActsOnAnApp">The runner resolves the App its data names first.</param>
public sealed record DialogRegistration(string Name, Type DialogType, bool ActsOnAnApp);

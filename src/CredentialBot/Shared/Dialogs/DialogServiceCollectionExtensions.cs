using CredentialBot.BotFramework.Routing;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Pipeline;

namespace CredentialBot.Shared.Dialogs;

/// <summary>Registration of dialogs.</summary>
public static class DialogServiceCollectionExtensions
{
    /// <summary>Registers a dialog under its static name; the dialog is constructed only when a step runs.</summary>
    public static IServiceCollection AddDialog<TDialog>(this IServiceCollection services)
        where TDialog : class, IDialog
    {
        services.AddScoped<TDialog>();
        services.AddSingleton(new DialogRegistration(TDialog.Name, typeof(TDialog), TDialog.ActsOnAnApp));
        return services;
    }

    /// <summary>The dialog table and the three ways a dialog step arrives: task/fetch, task/submit, inline in a card.</summary>
    internal static IServiceCollection AddDialogs(this IServiceCollection services)
    {
        services.AddSingleton<DialogTable>();
        services.AddScoped<DialogRunner>();
        var data = ActivityRouteBuilderExtensions.DataType<DialogData>();
        return services.AddRoutes(routes => routes
            .TaskFetch<DialogData, TaskModuleDialogRoute>(data)
            .TaskSubmit<DialogData, TaskModuleDialogRoute>(data)
            .CardAction<DialogData, InlineDialogRoute>(CardVerbs.InlineDialog, data));
    }
}

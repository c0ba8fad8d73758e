namespace CredentialBot.Shared.Jobs;

/// <summary>Registration of periodic jobs.</summary>
public static class JobServiceCollectionExtensions
{
    /// <summary>Runs <typeparamref name="TJob"/> (scoped) in the background on the schedule its options give.</summary>
    public static IServiceCollection AddPeriodicJob<TJob>(this IServiceCollection services, Func<IServiceProvider, JobSchedule> schedule)
        where TJob : class, IPeriodicJob
    {
        services.AddScoped<TJob>();
        services.AddHostedService(sp => ActivatorUtilities.CreateInstance<PeriodicJobHost<TJob>>(sp, schedule, sp));
        return services;
    }

    /// <summary>Adds a chore to every janitor round (run in registration order, each in a scope of its own).</summary>
    public static IServiceCollection AddJanitorChore<TChore>(this IServiceCollection services)
        where TChore : class, IJanitorChore
    {
        services.AddScoped<TChore>();
        services.AddSingleton(new JanitorChoreType(typeof(TChore)));
        return services;
    }
}

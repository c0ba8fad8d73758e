using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace CredentialBot.Store.Services;

/// <summary>
/// One compiled query (<c>EF.CompileAsyncQuery</c>) per EF Core model it runs against. A compiled query binds itself
/// to the first model it runs with and throws for any other, and one process may hold several: the SQLite and the
/// PostgreSQL model, or each host started in it (tests, benchmarks) with its own. Models are held weakly, so a host that
/// stopped leaves nothing behind.
/// </summary>
/// <typeparam name="TQuery">The compiled query's delegate.</typeparam>
internal sealed class CompiledQueryCache<TQuery>(Func<TQuery> compile)
    where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _byModel = [];

    /// <summary>The query compiled for <paramref name="context"/>'s model (compiled on its first use with that model).</summary>
    public TQuery For(DbContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var model = context.Model;
        return _byModel.TryGetValue(model, out var query) ? query : _byModel.GetValue(model, _ => compile());
    }
}

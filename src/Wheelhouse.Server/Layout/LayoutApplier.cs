using Wheelhouse.Core;
using Wheelhouse.Core.Indexes;
using Wheelhouse.Core.Layout;

namespace Wheelhouse.Server.Layout;

/// <summary>
/// The server side of a layout apply: reads the current state, plans, resolves new users' passwords, and has the
/// target carry out the whole plan at once. Problems (the layout's, a missing password variable) are all reported
/// and nothing is changed. <c>wheelhouse-server layout apply FILE [--dry-run]</c> is a thin shell around this.
/// </summary>
public sealed class LayoutApplier(ILayoutTarget target, Func<string, string> hashPassword, Func<string, string?> environment)
{
    public async Task<Validated<LayoutApplyReport>> ApplyAsync(LayoutSpec spec, bool dryRun, CancellationToken cancellationToken)
    {
        var state = await target.ReadStateAsync(cancellationToken);
        if (!LayoutPlanner.Plan(spec, state).IsValid(out var plan, out var invalid))
        {
            return new Validated<LayoutApplyReport>.Invalid(invalid.Problems);
        }
        var problems = new List<string>();
        var hashes = new Dictionary<UserName, string>();
        foreach (var create in plan.Actions.OfType<CreateUser>())
        {
            if (create.Password.EnvironmentVariable is { } variable)
            {
                var password = environment(variable);
                if (string.IsNullOrEmpty(password))
                {
                    problems.Add($"user {create.User}: environment variable {variable} (password_env) is not set or empty");
                }
                else if (!dryRun)
                {
                    hashes[create.User] = hashPassword(password);
                }
            }
            else
            {
                hashes[create.User] = create.Password.Hash!;
            }
        }
        if (problems.Count > 0)
        {
            return new Validated<LayoutApplyReport>.Invalid(problems);
        }
        if (!dryRun && !plan.IsEmpty)
        {
            await target.ApplyAsync(plan, hashes, cancellationToken);
        }
        return new Validated<LayoutApplyReport>.Valid(new LayoutApplyReport(plan, Applied: !dryRun && !plan.IsEmpty));
    }
}

/// <summary>What an apply did (or, on a dry run, would do).</summary>
public sealed record LayoutApplyReport(LayoutPlan Plan, bool Applied)
{
    public string Describe() => Plan.Describe()
        + (Plan.Unmanaged.Count > 0 ? $"\nnot in the layout (left alone): {string.Join(", ", Plan.Unmanaged)}" : "");
}

/// <summary>
/// The server's storage, as a layout apply needs it. The server implements it over its metadata database:
/// <see cref="ReadStateAsync"/> lists users (with groups) and index configs; <see cref="ApplyAsync"/> performs every
/// action of the plan in order, in one transaction, bumping the serial once per change as the HTTP API would.
/// </summary>
public interface ILayoutTarget
{
    Task<LayoutState> ReadStateAsync(CancellationToken cancellationToken);

    /// <param name="passwordHashes">The stored-form password hash of every <see cref="CreateUser"/> in the plan.</param>
    Task ApplyAsync(LayoutPlan plan, IReadOnlyDictionary<UserName, string> passwordHashes, CancellationToken cancellationToken);
}

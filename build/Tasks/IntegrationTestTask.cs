using Cake.Frosting;
using Wheelhouse.Build.Testing;

namespace Wheelhouse.Build.Tasks;

[TaskName("integration-test")]
[TaskDescription("the slow loop: every test marked [Integration] (the server over HTTP and as a process with twine and pip; dpkg, lintian, gpg and apt; the reproducibility builds)")]
[IsDependentOn(typeof(PrerequisitesTask))]
public sealed class IntegrationTestTask : FrostingTask<BuildContext>
{
    /// <summary>The tests start python and pip: the caller's environment must never point them elsewhere.</summary>
    private static readonly IReadOnlyDictionary<string, string> CleanPython = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["PIP_FIND_LINKS"] = "",
        ["PIP_INDEX_URL"] = "",
        ["PIP_CONFIG_FILE"] = "/dev/null",
    };

    public override void Run(BuildContext context) => TestRun.Run(context, "integration-test", TestRun.IntegrationFilter, CleanPython);
}

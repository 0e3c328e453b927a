using Cake.Frosting;
using Wheelhouse.Build.Testing;

namespace Wheelhouse.Build.Tasks;

[TaskName("integration-test")]
[TaskDescription("the slow loop: every test marked [Integration] (the server over HTTP and as a process with twine and pip; dpkg, lintian, gpg and apt; the reproducibility builds), then the storage and server tests again on PostgreSQL")]
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

    /// <summary>
    /// Every test that touches the metadata store (the storage tests and the server's, unit and integration), run a
    /// second time with their stores on a throw-away PostgreSQL cluster (tests/Shared/Postgres): the backend is a
    /// parameter of the same tests, not a copy.
    /// </summary>
    public const string StorageTestsFilter = "FullyQualifiedName~Wheelhouse.Storage.Tests|FullyQualifiedName~Wheelhouse.Server.Tests";

    public override void Run(BuildContext context)
    {
        TestRun.Run(context, "integration-test", TestRun.IntegrationFilter, CleanPython);
        TestRun.Run(context, "integration-test-postgresql", StorageTestsFilter,
            new Dictionary<string, string>(CleanPython, StringComparer.Ordinal) { ["WH_TEST_STORAGE"] = "postgresql" });
    }
}

using Cake.Frosting;

namespace Wheelhouse.Build.Tasks;

[TaskName("test")]
[TaskDescription("every test: the test projects, then the install proof in a booted container (each writes a summary under artifacts/test-results/)")]
[IsDependentOn(typeof(UnitTestTask))]
[IsDependentOn(typeof(VerifyInstallTask))]
public sealed class TestTask : FrostingTask<BuildContext>;

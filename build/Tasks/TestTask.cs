using Cake.Frosting;

namespace Wheelhouse.Build.Tasks;

[TaskName("test")]
[TaskDescription("every test: the test projects, the install proof in a booted container, then the arm64 package under qemu (each writes a summary under artifacts/test-results/)")]
[IsDependentOn(typeof(UnitTestTask))]
[IsDependentOn(typeof(VerifyInstallTask))]
[IsDependentOn(typeof(VerifyArm64Task))]
public sealed class TestTask : FrostingTask<BuildContext>;

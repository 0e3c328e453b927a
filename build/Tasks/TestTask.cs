using Cake.Frosting;

namespace Wheelhouse.Build.Tasks;

[TaskName("test")]
[TaskDescription("every test: unit-test, integration-test, the install proof in a booted container (verify-install), then the arm64 package under qemu (verify-arm64); each writes a summary under artifacts/test-results/")]
[IsDependentOn(typeof(UnitTestTask))]
[IsDependentOn(typeof(IntegrationTestTask))]
[IsDependentOn(typeof(VerifyInstallTask))]
[IsDependentOn(typeof(VerifyArm64Task))]
public sealed class TestTask : FrostingTask<BuildContext>;

using Cake.Frosting;

namespace Wheelhouse.Build.Tasks;

[TaskName("deb")]
[TaskDescription("publish, write the .deb files and publish them into the signed apt repository")]
[IsDependentOn(typeof(PackagesTask))]
[IsDependentOn(typeof(AptTask))]
public sealed class DebTask : FrostingTask<BuildContext>;

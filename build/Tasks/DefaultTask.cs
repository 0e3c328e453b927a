using Cake.Frosting;

namespace Wheelhouse.Build.Tasks;

[TaskName("default")]
[TaskDescription("same as deb")]
[IsDependentOn(typeof(DebTask))]
public sealed class DefaultTask : FrostingTask<BuildContext>;

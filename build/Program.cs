using Wheelhouse.Build;

// The same line a Cake.Frosting build has; CakeHost.cs supplies the host until Frosting is served.
return new Cake.Frosting.CakeHost()
    .UseContext<BuildContext>()
    .UseLifetime<BuildLifetime>()
    .UseOptions(BuildOptions.All)
    .Run(args);

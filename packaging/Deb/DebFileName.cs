namespace Wheelhouse.Packaging.Deb;

/// <summary>&lt;package&gt;_&lt;version&gt;_&lt;arch&gt;.deb, the epoch dropped as dpkg-name and dak do.</summary>
public static class DebFileName
{
    public static string For(ControlFile control)
    {
        var version = control.Required("Version");
        var colon = version.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            version = version[(colon + 1)..];
        }

        return $"{control.Required("Package")}_{version}_{control.Required("Architecture")}.deb";
    }
}

namespace Wheelhouse.Packaging.Deb;

/// <summary>
/// Everything one .deb holds. <see cref="ControlScripts"/> maps control.tar member names (preinst, postinst, prerm,
/// postrm, config, triggers, templates, ...) to their bytes; maintainer scripts get mode 0755, the rest 0644.
/// conffiles, md5sums and Installed-Size are derived from <see cref="Data"/> by the writer.
/// <see cref="Timestamp"/> (SOURCE_DATE_EPOCH) is the only time written anywhere.
/// </summary>
public sealed record DebPackage(
    ControlFile Control,
    IReadOnlyList<DebEntry> Data,
    IReadOnlyDictionary<string, byte[]> ControlScripts,
    DateTimeOffset Timestamp)
{
    /// <summary>Debian's file name: &lt;package&gt;_&lt;version without epoch&gt;_&lt;architecture&gt;.deb.</summary>
    public string FileName => DebFileName.For(Control);
}

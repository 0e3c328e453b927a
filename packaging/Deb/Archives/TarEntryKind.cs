namespace Wheelhouse.Packaging.Deb.Archives;

internal enum TarEntryKind : byte
{
    File = (byte)'0',
    Symlink = (byte)'2',
    Directory = (byte)'5',
    GnuLongName = (byte)'L',
    GnuLongLink = (byte)'K',
}

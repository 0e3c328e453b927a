using System.Globalization;
using System.Text;

namespace Wheelhouse.Packaging.Deb.Archives;

/// <summary>
/// Writes a common ("!&lt;arch&gt;") ar archive as deb(5) describes: 60-byte headers with the name space-padded (no GNU
/// "/" terminator, like dpkg-deb), the one timestamp, uid/gid 0, mode 100644, and a "\n" pad after odd-sized members.
/// </summary>
internal sealed class ArWriter
{
    public const string Magic = "!<arch>\n";
    public const int HeaderSize = 60;

    private readonly Stream _output;
    private readonly long _mtime;

    public ArWriter(Stream output, long mtime)
    {
        _output = output;
        _mtime = mtime;
        _output.Write(Encoding.ASCII.GetBytes(Magic));
    }

    public void AddMember(string name, ReadOnlySpan<byte> content)
    {
        WriteHeader(name, content.Length);
        _output.Write(content);
        Pad(content.Length);
    }

    public void AddMember(string name, Stream content, long length)
    {
        WriteHeader(name, length);
        var buffer = new byte[1 << 20];
        var remaining = length;
        while (remaining > 0)
        {
            var read = content.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
            if (read == 0)
            {
                throw new EndOfStreamException($"ar member {name} ended {remaining} bytes early");
            }

            _output.Write(buffer, 0, read);
            remaining -= read;
        }

        Pad(length);
    }

    /// <summary>
    /// Starts a member whose size is not known yet (the output must be seekable): write its content to the output,
    /// then call <see cref="EndMember"/> to patch the size into the header.
    /// </summary>
    public long BeginMember(string name)
    {
        var start = _output.Position;
        WriteHeader(name, 0);
        return start;
    }

    public void EndMember(string name, long start)
    {
        var end = _output.Position;
        var length = end - start - HeaderSize;
        _output.Position = start;
        WriteHeader(name, length);
        _output.Position = end;
        Pad(length);
    }

    internal static byte[] Header(string name, long mtime, long size)
    {
        if (name.Length is 0 or > 16 || name.Any(c => c is '/' or ' ' or > '~' or < '!'))
        {
            throw new ArgumentException($"ar member name '{name}' must be 1-16 printable ASCII characters without '/' or spaces", nameof(name));
        }

        var header = new StringBuilder(HeaderSize)
            .Append(Field(name, 16))
            .Append(Field(mtime.ToString(CultureInfo.InvariantCulture), 12))
            .Append(Field("0", 6))
            .Append(Field("0", 6))
            .Append(Field("100644", 8))
            .Append(Field(size.ToString(CultureInfo.InvariantCulture), 10))
            .Append("`\n");
        return Encoding.ASCII.GetBytes(header.ToString());
    }

    private void WriteHeader(string name, long size) => _output.Write(Header(name, _mtime, size));

    private void Pad(long length)
    {
        if (length % 2 == 1)
        {
            _output.WriteByte((byte)'\n');
        }
    }

    private static string Field(string value, int width) =>
        value.Length <= width ? value.PadRight(width) : throw new ArgumentException($"ar header value '{value}' is wider than {width}");
}

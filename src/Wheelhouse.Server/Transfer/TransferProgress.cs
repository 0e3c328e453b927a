using System.Diagnostics;
using System.Globalization;

namespace Wheelhouse.Server.Transfer;

/// <summary>
/// Progress of a long import, export, backup or restore: files and bytes done, rate and time left, redrawn as a bar
/// on a terminal, or written as one line every few seconds otherwise (journald, CI logs). Thread-safe.
/// </summary>
public sealed class TransferProgress
{
    private static readonly TimeSpan LineInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan BarInterval = TimeSpan.FromMilliseconds(200);
    private readonly TextWriter _output;
    private readonly bool _terminal;
    private readonly string _what;
    private readonly int _totalFiles;
    private readonly long _totalBytes;
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private int _files;
    private long _bytes;
    private TimeSpan _lastShown;

    private readonly bool _rows;

    public TransferProgress(string what, int totalFiles, long totalBytes, TextWriter output, bool terminal)
    {
        _what = what;
        _totalFiles = totalFiles;
        _totalBytes = totalBytes;
        _output = output;
        _terminal = terminal;
    }

    /// <summary>Progress over database rows (migrate-storage): counted, no bytes.</summary>
    public static TransferProgress OfRows(string what, int totalRows, TextWriter output, bool terminal) =>
        new(what, totalRows, 0, output, terminal, rows: true);

    private TransferProgress(string what, int totalFiles, long totalBytes, TextWriter output, bool terminal, bool rows)
        : this(what, totalFiles, totalBytes, output, terminal) => _rows = rows;

    /// <summary>On standard error, drawn as a bar when that is a terminal.</summary>
    public static TransferProgress OnStandardError(string what, int totalFiles, long totalBytes) =>
        new(what, totalFiles, totalBytes, Console.Error, terminal: !Console.IsErrorRedirected);

    public void FileDone(long bytes)
    {
        lock (_lock)
        {
            _files++;
            _bytes += bytes;
            var now = _watch.Elapsed;
            if (now - _lastShown >= (_terminal ? BarInterval : LineInterval))
            {
                _lastShown = now;
                Show(final: false);
            }
        }
    }

    /// <summary>The last line: totals and the average rate.</summary>
    public void Done()
    {
        lock (_lock)
        {
            Show(final: true);
        }
    }

    public string Describe()
    {
        var seconds = Math.Max(_watch.Elapsed.TotalSeconds, 0.001);
        if (_rows)
        {
            // Rows, not files (migrate-storage): a count and its rate.
            return string.Create(CultureInfo.InvariantCulture,
                $"{_what}: {_files}/{_totalFiles}, {_files / seconds:F0}/s, {(_files >= _totalFiles ? $"took {_watch.Elapsed:hh\\:mm\\:ss}" : "running")}");
        }
        var rate = _bytes / seconds;
        var left = rate > 0 && _totalBytes > _bytes ? TimeSpan.FromSeconds((_totalBytes - _bytes) / rate) : TimeSpan.Zero;
        return string.Create(CultureInfo.InvariantCulture,
            $"{_what}: {_files}/{_totalFiles} files, {Size(_bytes)} of {Size(_totalBytes)}, {Size((long)rate)}/s, {(_files >= _totalFiles ? $"took {_watch.Elapsed:hh\\:mm\\:ss}" : $"about {left:hh\\:mm\\:ss} left")}");
    }

    private void Show(bool final)
    {
        if (_terminal)
        {
            const int width = 30;
            var fraction = _totalBytes > 0 ? (double)_bytes / _totalBytes : _totalFiles > 0 ? (double)_files / _totalFiles : 1;
            var filled = (int)Math.Round(Math.Clamp(fraction, 0, 1) * width);
            _output.Write($"\r[{new string('#', filled)}{new string('.', width - filled)}] {Describe()}\u001b[K");
            if (final)
            {
                _output.WriteLine();
            }
        }
        else
        {
            _output.WriteLine(Describe());
        }
        _output.Flush();
    }

    public static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):F2} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):F1} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F1} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };
}

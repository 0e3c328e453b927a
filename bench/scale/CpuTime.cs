using System.Globalization;

namespace ScaleBench;

/// <summary>CPU time (user and system) spent so far by the server processes and by the database's processes.</summary>
internal readonly record struct CpuTime(TimeSpan Server, TimeSpan Database)
{
    public static CpuTime operator -(CpuTime a, CpuTime b) => new(a.Server - b.Server, a.Database - b.Database);

    /// <summary>Milliseconds per <paramref name="count"/> of each, as "server X + database Y" (the database only when it is a process of its own).</summary>
    public string Per(double count, bool withDatabase = true)
    {
        var server = Server.TotalMilliseconds / Math.Max(1, count);
        var database = Database.TotalMilliseconds / Math.Max(1, count);
        return withDatabase && Database > TimeSpan.Zero
            ? string.Create(CultureInfo.InvariantCulture, $"server {server:F2} + PostgreSQL {database:F2}")
            : string.Create(CultureInfo.InvariantCulture, $"server {server:F2}");
    }

    /// <summary>
    /// The CPU time of <paramref name="pid"/> and every living process whose parent it is (a postmaster's backends,
    /// which live as long as their pooled connections), plus what its children that exited were charged.
    /// </summary>
    public static TimeSpan OfProcessTree(int pid)
    {
        long ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var candidate))
            {
                continue;
            }
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // fields from the 3rd (state) on
                var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
                if (candidate == pid || parent == pid)
                {
                    ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture); // utime, stime
                    if (candidate == pid)
                    {
                        ticks += long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture); // cutime, cstime
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // exited meanwhile
            }
        }
        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ is 100 on Linux
    }
}

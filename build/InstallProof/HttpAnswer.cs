using System.Globalization;

namespace Wheelhouse.Build.InstallProof;

/// <summary>What curl --include --write-out printed, split into status, headers and body. Status 0: no answer at all.</summary>
public sealed record HttpAnswer(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public const string StatusMarker = "--wheelhouse-proof-status:";

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public static HttpAnswer Parse(string curlOutput)
    {
        var text = curlOutput.Replace("\r\n", "\n", StringComparison.Ordinal);
        var at = text.LastIndexOf(StatusMarker, StringComparison.Ordinal);
        var status = at >= 0 && int.TryParse(text[(at + StatusMarker.Length)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
        var response = (at >= 0 ? text[..at] : text).TrimEnd('\n');
        // With redirects or 100-continue there are several header blocks; the last one belongs to the body.
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var body = response;
        while (body.StartsWith("HTTP/", StringComparison.Ordinal))
        {
            var end = body.IndexOf("\n\n", StringComparison.Ordinal);
            var block = end >= 0 ? body[..end] : body;
            body = end >= 0 ? body[(end + 2)..] : "";
            headers.Clear();
            foreach (var line in block.Split('\n').Skip(1))
            {
                if (line.IndexOf(':') is > 0 and var colon)
                {
                    headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                }
            }
        }
        return new HttpAnswer(status, headers, body);
    }
}

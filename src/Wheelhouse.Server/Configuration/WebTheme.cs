using System.Globalization;

namespace Wheelhouse.Server.Configuration;

/// <summary>
/// How the web pages look (config <c>themeCompany</c>, <c>themeLogo</c>, <c>themePrimaryColor</c>,
/// <c>themeAccentColor</c>, <c>themeFooter</c>): read at start-up, so a change needs a restart, not a rebuild.
/// </summary>
/// <param name="Company">Shown in every page's header and title.</param>
/// <param name="LogoUrl">An https URL of the logo, or null.</param>
/// <param name="LogoFile">A local image file served as <c>/+static/web/logo</c>, or null.</param>
/// <param name="PrimaryColor">Header and link colour, <c>#rrggbb</c>; white text on it must be readable (contrast at least 4.5:1).</param>
/// <param name="AccentColor">Highlight colour behind search matches, <c>#rrggbb</c>; black text on it must be readable.</param>
/// <param name="Footer">Plain text under every page.</param>
public sealed record WebTheme(string Company, Uri? LogoUrl, string? LogoFile, string PrimaryColor, string AccentColor, string Footer)
{
    public static readonly WebTheme Default = new("Wheelhouse", null, null, "#1f4e79", "#ffe08a", "");

    /// <summary>The image types a logo file may have, by extension, with the content type it is served as.</summary>
    public static readonly IReadOnlyDictionary<string, string> LogoTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = "image/png",
        [".svg"] = "image/svg+xml",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".gif"] = "image/gif",
        [".webp"] = "image/webp",
    };

    /// <summary>Applies one theme key (see <see cref="ConfigurationLoader.Keys"/>), adding a problem when the value is unusable.</summary>
    public WebTheme With(string key, string value, string source, List<string> problems)
    {
        switch (key)
        {
            case "themeCompany":
                return value.Length is > 0 and <= 80 ? this with { Company = value } : Problem($"themeCompany must be 1 to 80 characters");
            case "themeFooter":
                return value.Length <= 500 ? this with { Footer = value } : Problem("themeFooter must be at most 500 characters");
            case "themePrimaryColor":
                return Contrast(value, 1.0) is { } p && p >= 4.5 ? this with { PrimaryColor = value.ToLowerInvariant() }
                    : Problem($"themePrimaryColor '{value}' must be a colour #rrggbb dark enough for white text (contrast at least 4.5:1), such as #1f4e79");
            case "themeAccentColor":
                return Contrast(value, 0.0) is { } a && a >= 4.5 ? this with { AccentColor = value.ToLowerInvariant() }
                    : Problem($"themeAccentColor '{value}' must be a colour #rrggbb light enough for black text (contrast at least 4.5:1), such as #ffe08a");
            case "themeLogo":
                return Logo(value, source, problems);
            default:
                throw new InvalidOperationException($"unhandled theme key {key}");
        }

        WebTheme Problem(string message)
        {
            problems.Add($"{source}: {message}");
            return this;
        }
    }

    private WebTheme Logo(string value, string source, List<string> problems)
    {
        if (value.Length == 0)
        {
            return this with { LogoUrl = null, LogoFile = null };
        }
        if (value.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (Uri.TryCreate(value, UriKind.Absolute, out var uri))
            {
                return this with { LogoUrl = uri, LogoFile = null };
            }
            problems.Add($"{source}: themeLogo '{value}' is not a valid URL");
            return this;
        }
        var path = Path.GetFullPath(value);
        if (!LogoTypes.ContainsKey(Path.GetExtension(path)) || !File.Exists(path))
        {
            problems.Add($"{source}: themeLogo '{value}' must be an https:// URL or an existing image file ending in "
                + string.Join(", ", LogoTypes.Keys));
            return this;
        }
        return this with { LogoFile = path, LogoUrl = null };
    }

    /// <summary>WCAG 2 contrast ratio of <paramref name="hex"/> against grey <paramref name="other"/> (1 white, 0 black); null if not #rrggbb.</summary>
    internal static double? Contrast(string hex, double other)
    {
        if (hex.Length != 7 || hex[0] != '#' || !int.TryParse(hex.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var rgb))
        {
            return null;
        }
        static double Channel(int c)
        {
            var s = c / 255.0;
            return s <= 0.03928 ? s / 12.92 : Math.Pow((s + 0.055) / 1.055, 2.4);
        }
        var l = (0.2126 * Channel((rgb >> 16) & 0xff)) + (0.7152 * Channel((rgb >> 8) & 0xff)) + (0.0722 * Channel(rgb & 0xff));
        return (Math.Max(l, other) + 0.05) / (Math.Min(l, other) + 0.05);
    }
}

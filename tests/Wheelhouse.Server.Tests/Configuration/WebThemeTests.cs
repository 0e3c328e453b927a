using Wheelhouse.Server.Configuration;

namespace Wheelhouse.Server.Tests.Configuration;

public sealed class WebThemeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wh-theme-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private ConfigurationResult Load(string json)
    {
        var path = Path.Combine(_dir, "wheelhouse.json");
        File.WriteAllText(path, json);
        return ConfigurationLoader.Load(path, new Dictionary<string, string>(), new Dictionary<string, string?>());
    }

    [Fact]
    public void Theme_keys_are_read_from_the_file_and_the_environment_overrides_them()
    {
        var logo = Path.Combine(_dir, "logo.svg");
        File.WriteAllText(logo, "<svg xmlns='http://www.w3.org/2000/svg'/>");
        var path = Path.Combine(_dir, "wheelhouse.json");
        File.WriteAllText(path, $$"""{ "themeCompany": "Acme", "themeLogo": "{{logo}}", "themePrimaryColor": "#003366", "themeFooter": "Internal" }""");
        var result = ConfigurationLoader.Load(path, new Dictionary<string, string>(),
            new Dictionary<string, string?> { ["WHEELHOUSE_THEME_ACCENT_COLOR"] = "#FFEEAA", ["WHEELHOUSE_THEME_COMPANY"] = "Acme Corp" });
        result.Problems.Should().BeEmpty();
        result.Options!.Theme.Should().Be(new WebTheme("Acme Corp", null, logo, "#003366", "#ffeeaa", "Internal"));
    }

    [Fact]
    public void Every_unusable_theme_value_is_reported_at_once()
    {
        var result = Load("""
            { "themeCompany": "", "themeLogo": "/no/such/logo.png", "themePrimaryColor": "#ffff00", "themeAccentColor": "blue" }
            """);
        result.Options.Should().BeNull();
        result.Problems.Should().HaveCount(4);
        result.Problems.Should().Contain(p => p.Contains("themePrimaryColor '#ffff00'") && p.Contains("contrast"));
        result.Problems.Should().Contain(p => p.Contains("themeLogo '/no/such/logo.png'") && p.Contains("https:// URL or an existing image file"));
        result.Problems.Should().Contain(p => p.Contains("themeAccentColor 'blue'"));
        result.Problems.Should().Contain(p => p.Contains("themeCompany must be 1 to 80 characters"));
    }

    [Fact]
    public void An_https_logo_url_is_taken_as_it_is() =>
        Load("""{ "themeLogo": "https://cdn.example.com/logo.png" }""").Options!.Theme.LogoUrl.Should().Be(new Uri("https://cdn.example.com/logo.png"));
}

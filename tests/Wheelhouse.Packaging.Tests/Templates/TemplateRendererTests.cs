using Wheelhouse.Packaging.Templates;

namespace Wheelhouse.Packaging.Tests.Templates;

public sealed class TemplateRendererTests
{
    private sealed record SampleModel(string Package, string InstallRoot, IReadOnlyList<string> Items, IReadOnlyDictionary<string, string> Settings);

    private static readonly SampleModel Model = new("pkg", "/usr/lib/pkg", ["a", "b"], new Dictionary<string, string> { ["listen-port"] = "8080" });

    [Fact]
    public void Members_are_snake_cased_and_settings_dashes_read_as_underscores()
    {
        var text = TemplateRenderer.Render("{{ package }} {{ install_root }} {{ for i in items }}{{ i }}{{ end }} {{ settings.listen_port }}", "t", Model);

        text.Should().Be("pkg /usr/lib/pkg ab 8080");
    }

    [Theory]
    [InlineData("{{ pakage }}")]
    [InlineData("{{ settings.no_such_setting }}")]
    public void An_undefined_name_is_an_error_not_an_empty_string(string template)
    {
        var act = () => TemplateRenderer.Render(template, "sample.sbn", Model);

        act.Should().Throw<TemplateRenderException>().WithMessage("*sample.sbn*SampleModel*");
    }

    [Fact]
    public void A_syntax_error_names_the_template()
    {
        var act = () => TemplateRenderer.Render("{{ if package }}", "broken.sbn", Model);

        act.Should().Throw<TemplateRenderException>().WithMessage("cannot parse template broken.sbn*");
    }

    [Fact]
    public void Long_descriptions_use_control_syntax()
    {
        PackageRenderer.LongDescription("First line\nsecond line\n\nNew paragraph\n").Should().Be(" First line\n second line\n .\n New paragraph");
    }

    [Fact]
    public void Release_dates_are_rfc_2822_in_utc()
    {
        PackageRenderer.Rfc2822(new DateTimeOffset(2026, 1, 2, 5, 4, 5, TimeSpan.FromHours(2))).Should().Be("Fri, 02 Jan 2026 03:04:05 +0000");
    }
}

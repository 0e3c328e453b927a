using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Wheelhouse.Packaging.Templates;

/// <summary>
/// Renders a Scriban template through a typed model. Strict: a name the model does not define is an error,
/// never an empty string. Model members appear snake_cased (InstallRoot → install_root); settings keys with
/// '-' are reachable with '_' (listen-port → settings.listen_port).
/// </summary>
public static class TemplateRenderer
{
    public static string RenderFile<TModel>(string templatePath, TModel model) where TModel : class
    {
        string text;
        try
        {
            text = File.ReadAllText(templatePath);
        }
        catch (IOException ex)
        {
            throw new TemplateRenderException($"cannot read template {templatePath}: {ex.Message}", ex);
        }
        return Render(text, templatePath, model);
    }

    public static string Render<TModel>(string text, string templateName, TModel model) where TModel : class
    {
        var template = Template.Parse(text, templateName);
        if (template.HasErrors)
        {
            throw new TemplateRenderException($"cannot parse template {templateName}:\n  " + string.Join("\n  ", template.Messages));
        }

        var globals = new ScriptObject();
        foreach (var property in typeof(TModel).GetProperties())
        {
            globals.Add(StandardMemberRenamer.Rename(property.Name), ToScript(property.GetValue(model)));
        }

        var context = new TemplateContext
        {
            StrictVariables = true,
            EnableRelaxedMemberAccess = false,
            NewLine = "\n",
            MemberRenamer = StandardMemberRenamer.Default,
        };
        context.PushGlobal(globals);
        try
        {
            return template.Render(context);
        }
        catch (ScriptRuntimeException ex)
        {
            throw new TemplateRenderException($"cannot render template {templateName} with {typeof(TModel).Name}: {ex.Message}", ex);
        }
    }

    // Dictionaries become script objects so that a missing key fails like any undefined name.
    private static object? ToScript(object? value) => value switch
    {
        IReadOnlyDictionary<string, string> map => ToObject(map),
        _ => value,
    };

    private static ScriptObject ToObject(IReadOnlyDictionary<string, string> map)
    {
        var result = new ScriptObject();
        foreach (var (key, value) in map)
        {
            result.Add(key.Replace('-', '_'), value);
        }

        return result;
    }
}

/// <summary>A template could not be parsed or referred to something its model does not have.</summary>
public sealed class TemplateRenderException(string message, Exception? inner = null) : Exception(message, inner);

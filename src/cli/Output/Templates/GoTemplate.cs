using System.Text;
using Skiff.Cli.Output.Templates.Nodes;

namespace Skiff.Cli.Output.Templates;

/// <summary>
/// A parsed Go text/template (the subset docker and podman users write in --format): fields, pipes,
/// functions, <c>if</c>/<c>else</c>/<c>range</c>/<c>with</c>, variables and whitespace trimming.
/// </summary>
public sealed class GoTemplate
{
    private readonly string name;
    private readonly string text;
    private readonly ListNode tree;

    private GoTemplate(string name, string text, ListNode tree)
    {
        this.name = name;
        this.text = text;
        this.tree = tree;
    }

    /// <exception cref="TemplateException">The text is not a valid template.</exception>
    public static GoTemplate Parse(string name, string text) =>
        new(name, text, new TemplateParser(name, text, TemplateFunctions.Names).Parse());

    /// <param name="headerMode">
    /// Rendering a table's header row: the data holds column titles, and the formatting functions
    /// (<c>json join upper truncate …</c>) pass a title through unchanged, as docker's header functions do.
    /// </param>
    public void Execute(StringBuilder output, object? data, bool headerMode = false) =>
        new TemplateExecutor(name, text, output, data, headerMode).Execute(tree);

    public string Execute(object? data)
    {
        var output = new StringBuilder();
        Execute(output, data);
        return output.ToString();
    }
}

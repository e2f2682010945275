using System.CommandLine;
using System.Runtime.InteropServices;
using Skiff.Cli.Output;

namespace Skiff.Cli.Commands.System;

/// <summary><c>skiff version [--format json|TEMPLATE]</c>; templates see podman's fields (<c>{{.Version}}</c>) and docker's (<c>{{.Client.Version}}</c>).</summary>
public static class VersionCommand
{
    public const string Version = BuildVersion.Value;

    public static Command Create(GlobalOptions globals)
    {
        var format = new Option<string?>("--format", "-f") { Description = "Change the output format to JSON or a Go template" };
        var command = new Command("version", "Display the skiff version information") { format };
        command.SetAction(parseResult =>
        {
            CliContext context = globals.Resolve(parseResult);
            string? text = parseResult.GetValue(format);
            if (string.IsNullOrWhiteSpace(text))
            {
                context.Out.WriteLine($"Version:      {Version}");
                context.Out.WriteLine($"Runtime:      .NET {Environment.Version}");
                context.Out.WriteLine($"OS/Arch:      linux/{Architecture()}");
                return ExitCodes.Success;
            }

            TemplateObject client = Info();
            if (text.Trim() == "json")
            {
                context.Out.WriteLine(JsonOutput.Serialize(new TemplateObject("define.Version") { ["Client"] = client }, indented: false));
                return ExitCodes.Success;
            }

            client["Client"] = Info();
            context.Out.Write(OutputFormat.Parse(text, text, "version").RenderOne(client));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The version facts as templates and JSON see them.</summary>
    public static TemplateObject Info() => new("define.Version")
    {
        ["Version"] = Version,
        ["APIVersion"] = Version,
        ["Runtime"] = ".NET " + Environment.Version,
        ["GoVersion"] = string.Empty,
        ["OsArch"] = "linux/" + Architecture(),
        ["Os"] = "linux",
        ["Arch"] = Architecture(),
    };

    public static string Architecture() => RuntimeInformation.OSArchitecture switch
    {
        global::System.Runtime.InteropServices.Architecture.X64 => "amd64",
        global::System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        global::System.Runtime.InteropServices.Architecture.Arm => "arm",
        global::System.Runtime.InteropServices.Architecture.X86 => "386",
        var other => other.ToString().ToLowerInvariant(),
    };
}

using System.CommandLine;
using Skiff.Cli.Output;
using Skiff.Runtime.Health;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// <c>skiff container inspect [--format T] CONTAINER...</c>: docker-shaped JSON. The top-level <c>skiff inspect</c>
/// also finds images (podman's order: containers first, <c>--type</c> to choose). As podman, what was found is
/// printed, each miss is one <c>Error:</c> line, and any miss exits 125.
/// </summary>
public static class InspectCommand
{
    public static Command Create(GlobalOptions globals, string name = "inspect", bool containersOnly = false)
    {
        var format = new Option<string?>("--format", "-f") { Description = "Format the output using the given Go template" };
        var size = new Option<bool>("--size", "-s") { Description = "Display total file size" };
        var type = new Option<string>("--type", "-t") { Description = "Look only for this type: container, image or all", DefaultValueFactory = _ => containersOnly ? "container" : "all" };
        type.AcceptOnlyFromAmong("container", "image", "all");
        var latest = LatestContainer.CreateOption();
        var containers = new Argument<string[]>("container") { Arity = ArgumentArity.ZeroOrMore };
        var command = new Command(name, "Display detailed information on one or more containers") { format, size, latest, containers };
        if (!containersOnly)
        {
            command.Options.Add(type);
        }

        command.SetAction(async parse =>
        {
            CliContext context = globals.Resolve(parse);
            string kind = containersOnly ? "container" : parse.GetValue(type)!;
            bool measure = parse.GetValue(size) && kind != "image";
            if (measure && ContainerSizes.NeedUserNamespace(context))
            {
                return await UserNamespaceEntry.RunAsync(context.User, UserNamespaceEntry.CurrentArguments());
            }

            ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
            string[] names = parse.GetValue(containers) ?? [];
            bool last = parse.GetValue(latest);
            if (last == names.Length > 0)
            {
                throw Core.Errors.SkiffException.InvalidArgument(last ? "--latest and arguments cannot be used together" : "no names or ids specified");
            }

            var images = new Lazy<Skiff.Images.Local.LocalImages>(() => Images.ImageServices.Local(context));
            var sizes = new ContainerSizes(lifecycle.Store, images);
            OutputFormat? output = IsJson(parse.GetValue(format)) ? null : OutputFormat.Parse(parse.GetValue(format), "{{json .}}", "inspect");
            var found = new List<object?>();
            var missing = new List<string>();
            if (last)
            {
                if (LatestContainer.TryId(lifecycle.Store) is string newest)
                {
                    names = [newest];
                }
                else
                {
                    missing.Add("no containers to inspect: no such container");
                }
            }

            foreach (string target in names)
            {
                if (kind != "image" && lifecycle.Store.TryResolve(target) is { } id)
                {
                    ContainerConfig config = lifecycle.Store.ReadConfig(id);
                    ContainerState state = lifecycle.Observe(id);
                    HealthState? health = config.Healthcheck is { Enabled: true } ? new HealthStore(lifecycle.Store.Directory).Read(id) : null;
                    found.Add(ContainerInspectView.Build(config, state, lifecycle.Store, measure ? sizes.Measure(config) : null, health));
                }
                else if (kind != "container" && images.Value.Images.TryResolve(target) is { } image)
                {
                    found.Add(Images.ImageInspectView.Build(image, images.Value));
                }
                else
                {
                    missing.Add(kind switch
                    {
                        "container" => $"no such container {target}",
                        "image" => $"{target}: image not known",
                        _ => $"no such object: \"{target}\"",
                    });
                }
            }

            context.Out.Write(output is null ? JsonOutput.Serialize(found, indented: true, indentSize: JsonOutput.InspectIndent) + "\n" : output.RenderInspect(found));
            foreach (string message in missing)
            {
                context.Error.WriteLine($"Error: inspecting object: {message}");
            }

            return missing.Count == 0 ? ExitCodes.Success : ExitCodes.EngineError;
        });
        return command;
    }

    private static bool IsJson(string? format) => string.IsNullOrWhiteSpace(format) || format.Trim() == "json";
}

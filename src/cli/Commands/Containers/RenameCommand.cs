using System.CommandLine;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary><c>skiff rename CONTAINER NEW_NAME</c>: claims the new name atomically, then releases the old one (podman's errors, exit 125).</summary>
public static class RenameCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var container = new Argument<string>("container") { Description = "Container to rename" };
        var newName = new Argument<string>("name") { Description = "Its new name" };
        var command = new Command("rename", "Rename an existing container") { container, newName };
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            ContainerStore store = ContainerServices.Store(context);
            string id = store.Resolve(parse.GetValue(container)!);
            string name = ContainerNames.Validate(parse.GetValue(newName)!);
            using (store.Lock(id))
            {
                ContainerConfig config = store.ReadConfig(id);
                if (config.Name != name)
                {
                    store.Rename(id, name);
                    store.RecordEvent(config with { Name = name }, "rename");
                    if (config.Privileged)
                    {
                        // A privileged container's /run/.containerenv names it.
                        ContainerEnvFile.Write(store.Directory(id), config with { Name = name }, context.User.Rootless, ContainerCreator.Engine);
                    }
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }
}

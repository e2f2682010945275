using System.Globalization;
using Skiff.Core.IdMaps;
using Skiff.Core.Processes;

namespace Skiff.Rootless.IdMaps;

/// <summary>argv for newuidmap(1)/newgidmap(1): <c>PID inside outside count ...</c>.</summary>
public static class NewIdMapCommand
{
    public static ExternalCommand For(string program, int pid, IReadOnlyList<IdMapping> mappings)
    {
        var arguments = new List<string> { pid.ToString(CultureInfo.InvariantCulture) };
        foreach (IdMapping m in mappings)
        {
            arguments.Add(m.ContainerId.ToString(CultureInfo.InvariantCulture));
            arguments.Add(m.HostId.ToString(CultureInfo.InvariantCulture));
            arguments.Add(m.Size.ToString(CultureInfo.InvariantCulture));
        }

        return new ExternalCommand(program, arguments) { Timeout = TimeSpan.FromSeconds(10) };
    }
}

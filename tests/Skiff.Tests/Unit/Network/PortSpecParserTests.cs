using Skiff.Core.Errors;
using Skiff.Rootless.Network;

namespace Skiff.Tests.Unit.Network;

public class PortSpecParserTests
{
    [Theory]
    [InlineData("80", null, 0, 80, PortProtocol.Tcp, 1)]
    [InlineData("8080:80", null, 8080, 80, PortProtocol.Tcp, 1)]
    [InlineData("127.0.0.1:8080:80", "127.0.0.1", 8080, 80, PortProtocol.Tcp, 1)]
    [InlineData("127.0.0.1::80", "127.0.0.1", 0, 80, PortProtocol.Tcp, 1)]
    [InlineData("53:53/udp", null, 53, 53, PortProtocol.Udp, 1)]
    [InlineData("5000-5002:6000-6002/TCP", null, 5000, 6000, PortProtocol.Tcp, 3)]
    [InlineData("[::1]:8080:80", "::1", 8080, 80, PortProtocol.Tcp, 1)]
    [InlineData("7000-7001", null, 0, 7000, PortProtocol.Tcp, 2)]
    public void Parses_docker_publish_specs(string spec, string? ip, int host, int container, PortProtocol protocol, int count) =>
        Assert.Equal(new PortMapping(ip, host, container, protocol, count), PortSpecParser.Parse(spec));

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("70000")]
    [InlineData("80/sctp")]
    [InlineData("1.2.3:80:80")]
    [InlineData("5000-5001:80")]
    [InlineData("5001-5000:80-81")]
    [InlineData("a:b:c:d")]
    public void Rejects_bad_specs(string spec)
    {
        SkiffException e = Assert.Throws<SkiffException>(() => PortSpecParser.Parse(spec));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public void Publish_all_takes_exposed_ports_and_allocates_free_host_ports()
    {
        IReadOnlyList<PortMapping> exposed = PortSpecParser.FromExposed(["80/tcp", "53/udp"]);
        Assert.Equal([new PortMapping(null, 0, 80, PortProtocol.Tcp), new PortMapping(null, 0, 53, PortProtocol.Udp)], exposed);
        IReadOnlyList<PortMapping> allocated = PortSpecParser.AllocateHostPorts(exposed);
        Assert.All(allocated, p => Assert.InRange(p.HostPort, 1, 65535));
        Assert.Equal(80, allocated[0].ContainerPort);
    }

    [Fact]
    public void Ranges_expand_to_single_ports()
    {
        Assert.Equal(
            ["5000/tcp -> 127.0.0.1:6000", "5001/tcp -> 127.0.0.1:6001"],
            new PortMapping("127.0.0.1", 6000, 5000, PortProtocol.Tcp, 2).Expand().Select(p => p.ToString()));
    }
}

namespace Skiff.Rootless.Network;

public enum PortProtocol
{
    Tcp,
    Udp,
}

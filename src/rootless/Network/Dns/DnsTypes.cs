namespace Skiff.Rootless.Network.Dns;

/// <summary>The record types, classes and response codes the responder uses (RFC 1035 3.2.2, 4.1.1; RFC 3596).</summary>
public static class DnsTypes
{
    public const ushort A = 1;
    public const ushort Ptr = 12;
    public const ushort Aaaa = 28;
    public const ushort ClassIn = 1;

    public const int NoError = 0;
    public const int FormatError = 1;
    public const int ServerFailure = 2;
    public const int NameError = 3;
    public const int NotImplemented = 4;
    public const int Refused = 5;
}

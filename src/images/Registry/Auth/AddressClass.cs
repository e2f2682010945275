namespace Skiff.Images.Registry.Auth;

/// <summary>Where an IP address lives, for <see cref="RealmPolicy"/>.</summary>
public enum AddressClass
{
    Public,
    Loopback,
    Private,
    LinkLocal,
}

namespace Skiff.Images.Registry.Pushing;

/// <summary><c>--format</c>: keep the stored manifest's format, or convert to OCI or Docker schema2.</summary>
public enum PushFormat
{
    Keep,
    Oci,
    DockerV2Schema2,
}

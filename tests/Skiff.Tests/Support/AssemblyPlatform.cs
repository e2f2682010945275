// skiff and its tests are Linux-only (namespaces, overlayfs, runuser).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

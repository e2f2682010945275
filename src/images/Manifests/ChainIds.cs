using System.Text;
using Skiff.Core.Digests;

namespace Skiff.Images.Manifests;

/// <summary>
/// Chain ids identify a stack of layers (OCI image spec, config.md "Layer ChainID"):
/// chain(L0) = diff(L0); chain(Ln) = sha256(chain(Ln-1) + " " + diff(Ln)).
/// </summary>
public static class ChainIds
{
    public static IReadOnlyList<Digest> Compute(IReadOnlyList<Digest> diffIds)
    {
        var chain = new List<Digest>(diffIds.Count);
        foreach (Digest diffId in diffIds)
        {
            chain.Add(chain.Count == 0 ? diffId : Digest.Sha256Of(Encoding.ASCII.GetBytes($"{chain[^1].Value} {diffId.Value}")));
        }

        return chain;
    }
}

using System.Security.Cryptography;

namespace Warden.Core.Fleet;

/// <summary>
/// The public keys of the trusted nodes (<c>peers_dir/NAME.pub</c>), and the signature check.
/// Immutable after construction; <see cref="Verify"/> is thread-safe. Owns the keys.
/// </summary>
public sealed class PeerKeys : IDisposable
{
    private readonly Dictionary<string, ECDsa> _keys;

    /// <summary>Takes ownership of <paramref name="keys"/>, by node name.</summary>
    public PeerKeys(IReadOnlyDictionary<string, ECDsa> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keys = new Dictionary<string, ECDsa>(keys, StringComparer.Ordinal);
    }

    /// <summary>The trusted node names.</summary>
    public IReadOnlyCollection<string> Names => _keys.Keys;

    /// <summary>True when <paramref name="node"/> has a key here.</summary>
    public bool Knows(string node) => _keys.ContainsKey(node);

    /// <summary>True when the entry carries a valid signature of its origin's key.</summary>
    public bool Verify(FleetEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!_keys.TryGetValue(entry.Decision.Origin, out var key))
        {
            return false;
        }

        Span<byte> signature = stackalloc byte[128];
        if (!Convert.TryFromBase64String(entry.Signature, signature, out var length) || length != 64)
        {
            return false;
        }

        lock (key)
        {
            return key.VerifyData(DecisionText.Canonical(entry.Fields), signature[..length], HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }
    }
}

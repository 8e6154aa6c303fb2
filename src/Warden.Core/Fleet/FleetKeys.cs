using System.Security.Cryptography;

namespace Warden.Core.Fleet;

/// <summary>
/// A node's key pair as PEM text: the private key (PKCS#8) stays on the node in <c>key_file</c>,
/// the public key (SubjectPublicKeyInfo) goes into every peer's <c>peers_dir</c> as
/// <c>NAME.pub</c>. ECDSA on the NIST P-256 curve from the base library, so no package and no
/// native library beyond the OpenSSL the runtime already uses.
/// </summary>
/// <param name="PrivatePem">The private key; whoever has it can speak for the node.</param>
/// <param name="PublicPem">The public key.</param>
public sealed record FleetKeys(string PrivatePem, string PublicPem)
{
    /// <summary>A new random key pair.</summary>
    public static FleetKeys Generate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new FleetKeys(key.ExportPkcs8PrivateKeyPem(), key.ExportSubjectPublicKeyInfoPem());
    }

    /// <summary>Reads a private key.</summary>
    /// <param name="pem">PEM text of a PKCS#8 P-256 key.</param>
    /// <param name="source">Where the text came from, for the error.</param>
    /// <exception cref="FormatException">The text is not a P-256 private key.</exception>
    public static ECDsa ImportPrivate(string pem, string source) => Import(pem, source, requirePrivate: true);

    /// <summary>Reads a public key.</summary>
    /// <exception cref="FormatException">The text is not a P-256 public key.</exception>
    public static ECDsa ImportPublic(string pem, string source) => Import(pem, source, requirePrivate: false);

    private static ECDsa Import(string pem, string source, bool requirePrivate)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            var parameters = key.ExportParameters(includePrivateParameters: false);
            if (parameters.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            {
                throw new FormatException($"{source}: not a P-256 key (curve {parameters.Curve.Oid.FriendlyName ?? parameters.Curve.Oid.Value})");
            }

            if (requirePrivate)
            {
                // Throws when the PEM held only a public key.
                key.ExportParameters(includePrivateParameters: true);
            }

            return key;
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new FormatException($"{source}: not a PEM {(requirePrivate ? "private" : "public")} P-256 key: {ex.Message}", ex);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }
}

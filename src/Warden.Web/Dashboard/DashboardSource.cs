using System.Security.Cryptography;
using Warden.Core.Engine;

namespace Warden.Web.Dashboard;

/// <summary>
/// What the dashboard reads, for the whole process: the engine of the running generation (set
/// again at each reload; <c>null</c> between two), the failure timeline, and whether the page
/// may ban and unban (<c>[web] allow_changes</c>) with the CSRF token that every change must
/// carry in <see cref="CsrfHeader"/>: a page of another site cannot read it, so it cannot send it.
/// </summary>
public sealed class DashboardSource(ActivityRecorder activity, bool allowChanges, string version)
{
    /// <summary>The header a change request carries the CSRF token in.</summary>
    public const string CsrfHeader = "X-Warden-Csrf";

    private BanEngine? _engine;

    /// <summary>The failure timeline.</summary>
    public ActivityRecorder Activity { get; } = activity;

    /// <summary>True when the page may ban and unban.</summary>
    public bool AllowChanges { get; } = allowChanges;

    /// <summary>Warden's version.</summary>
    public string Version { get; } = version;

    /// <summary>The random token change requests must carry (given to the page by <c>/api/dashboard</c>).</summary>
    public string Csrf { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();

    /// <summary>The running engine, or <c>null</c> while none runs.</summary>
    public BanEngine? Engine
    {
        get => Volatile.Read(ref _engine);
        set => Volatile.Write(ref _engine, value);
    }
}

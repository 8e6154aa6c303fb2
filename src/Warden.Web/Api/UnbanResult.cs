namespace Warden.Web.Api;

/// <summary>Answer of the unban endpoints: the bans lifted.</summary>
public sealed record UnbanResult(IReadOnlyList<BanDto> Lifted);

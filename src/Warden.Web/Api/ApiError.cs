namespace Warden.Web.Api;

/// <summary>An error answer: what went wrong, in words for the admin.</summary>
public sealed record ApiError(string Error);

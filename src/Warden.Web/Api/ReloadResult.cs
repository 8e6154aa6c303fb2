namespace Warden.Web.Api;

/// <summary>Answer of <c>POST /api/reload</c>: the new configuration runs (<see cref="Applied"/>), or the old one still does and <see cref="Errors"/> say why (FILE:LINE: reason).</summary>
public sealed record ReloadResult(bool Applied, string Message, IReadOnlyList<string> Errors);

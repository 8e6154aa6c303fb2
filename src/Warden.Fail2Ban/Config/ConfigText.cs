namespace Warden.Fail2Ban.Config;

/// <summary>The content of one configuration file.</summary>
/// <param name="DisplayPath">The path an administrator recognises, used in error messages
/// (<c>/etc/warden/filter.d/sshd.conf</c>, or <c>builtin:filter.d/sshd.conf</c> for a shipped file).</param>
/// <param name="Text">The file's text.</param>
public sealed record ConfigText(string DisplayPath, string Text);

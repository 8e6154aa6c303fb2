using Microsoft.Extensions.Logging;

namespace Warden.TestKit;

/// <summary>One line a <see cref="RecordingLogger"/> kept.</summary>
public sealed record LoggedLine(LogLevel Level, int EventId, string Text, Exception? Exception);

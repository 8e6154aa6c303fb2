namespace Warden.Actions.Command;

/// <summary>The quoting a position of a <c>sh</c> command line is in.</summary>
internal enum ShellContext
{
    /// <summary>Unquoted (top level, or inside <c>$( )</c> or backquotes).</summary>
    Plain,

    /// <summary>Inside <c>'...'</c>: nothing expands.</summary>
    Single,

    /// <summary>Inside <c>"..."</c>: <c>$</c>, backquote and backslash are special.</summary>
    Double,
}

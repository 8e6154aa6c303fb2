namespace Warden.Fail2Ban.Filters;

/// <summary>One entry of fail2ban's findFailure result: which failregex, the id (null while pending), the time, the data.</summary>
internal sealed record RawFailure(int RegexIndex, FailureId? Id, double? Time, FailData Data)
{
    /// <summary>A helper match that is not a failure (F-NOFAIL, or still waiting for its id).</summary>
    public bool IsNoFailure => Id is null || Data.IsTrue("nofail");
}

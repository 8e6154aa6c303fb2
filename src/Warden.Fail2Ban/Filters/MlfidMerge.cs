namespace Warden.Fail2Ban.Filters;

/// <summary>
/// Merges a failure with what earlier lines of the same multi-line id (F-MLFID, e.g. one sshd
/// connection) recorded, as fail2ban's <c>Filter._mergeFailure</c> (server/filter.py) does:
/// F-NOFAIL lines wait without counting, a later failure of the same connection counts them,
/// F-MLFFORGET ends the connection, F-MLFGAINED (a success) forgives what was pending, and
/// attempts with several user names are never forgiven.
/// </summary>
internal static class MlfidMerge
{
    private const int NoFail = 1;
    private const int Forget = 2;
    private const int HadNoFail = 4;
    private const int Gained = 8;

    public static FailData Merge(MlfidCache cache, string mlfid, FailData fail, RegexSearch search)
    {
        var cached = cache.Get(mlfid);
        HashSet<string>? users = null;
        var flags = 0;
        if (fail.IsTrue("mlfgained"))
        {
            flags |= Gained | NoFail;
            if (!fail.IsTrue("nofail"))
            {
                fail["nofail"] = fail["mlfgained"];
            }
        }
        else if (fail.IsTrue("nofail"))
        {
            flags |= NoFail;
        }

        if (FailData.Truthy(fail.Pop("mlfforget")))
        {
            flags |= Forget;
        }

        if (cached is not null)
        {
            users = UpdateUsers(cached, fail.GetString("user"));
            if (FailData.Truthy(cached.Pop("nofail")))
            {
                flags |= HadNoFail;
            }

            if (FailData.Truthy(cached.Pop("mlfgained")))
            {
                flags |= HadNoFail;
            }

            if ((flags & Gained) != 0)
            {
                cached.Pop("mlfpending");
            }

            if ((flags & HadNoFail) == 0 && !cached.IsTrue("mlfpending"))
            {
                cached.Pop("matches");
            }

            cached.Update(fail, skipNulls: true);
            fail = cached;
            if ((flags & Forget) != 0)
            {
                cache.Unset(mlfid);
            }
        }
        else if ((flags & Forget) == 0)
        {
            users = UpdateUsers(fail, fail.GetString("user"));
            cache.Set(mlfid, fail);
        }

        if (FailData.Truthy(fail.Pop("mlfpending")) || (users is not null && users.Count > 1))
        {
            fail.Pop("nofail");
            fail.Pop("mlfgained");
            flags &= ~(Gained | NoFail);
        }

        if ((flags & NoFail) == 0)
        {
            var matches = fail.Pop("nofail-matches") as List<TupleLine> ?? [];
            matches.AddRange(fail.Matches);
            if ((flags & Gained) == 0)
            {
                matches.AddRange(search.Matched);
            }

            fail.Matches = matches;
        }
        else if ((flags & (NoFail | Forget)) == NoFail)
        {
            var pending = fail["nofail-matches"] as List<TupleLine> ?? [];
            fail["nofail-matches"] = new List<TupleLine>([.. pending, .. search.Matched]);
        }

        return fail;
    }

    private static HashSet<string>? UpdateUsers(FailData fail, string? user)
    {
        var users = fail["users"] as HashSet<string>;
        if (!string.IsNullOrEmpty(user))
        {
            if (users is null || users.Count == 0)
            {
                users = new HashSet<string>(StringComparer.Ordinal);
                fail["users"] = users;
            }

            users.Add(user);
        }

        return users;
    }
}

namespace AlumniNetwork.Core.Audit;

/// <summary>
/// The entry that follows a change's own entry, written before its conditional write (audited first, ADR 0005), when
/// that write lost to another one (ETag) and the change was not saved: the entry before it records a change, this one
/// that it did not happen, so a count of changes is honest. Action <c>&lt;action&gt;.not-saved</c>, same actor, subject
/// and detail (ids only). A retry from a fresh read is audited again, first, like any change. The counterpart of
/// <see cref="AlumniNetwork.Core.Admin.KeyedCreate.NotSaved"/> for a change rather than a create.
/// </summary>
public static class UnsavedChange
{
    public const string Suffix = ".not-saved";

    public static AuditEntry NotSaved(AuditEntry written, DateTimeOffset now) =>
        written with { At = now, Action = NotSavedAction(written.Action), Detail = $"{written.Detail}; not saved: the record changed meanwhile" };

    public static string NotSavedAction(string action) => action + Suffix;
}

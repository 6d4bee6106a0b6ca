namespace AlumniNetwork.Core.Admin;

/// <summary>
/// The audit actions of the admin APIs. Every admin read or change of personal data writes one entry before the data
/// leaves or the change is made, so a failed audit write fails the request: nothing is read or changed unrecorded.
/// </summary>
public static class AdminAuditActions
{
    /// <summary>One alumnus read (details, or its flags through a PATCH that changed nothing).</summary>
    public const string AlumnusRead = "alumnus.read";

    public const string AlumniSearch = "alumni.search";

    /// <summary>Written before the first byte of an export.</summary>
    public const string AlumniExport = "alumni.export";

    /// <summary>Written after the last row of an export, with the row count; missing when the export broke off.</summary>
    public const string AlumniExportCompleted = "alumni.export.completed";

    public const string AlumnusFlagsChanged = "alumnus.flags.changed";

    public const string AuditRead = "audit.read";

    /// <summary>Dead letters listed; the subject is the queue, or empty for all.</summary>
    public const string DeadLettersRead = "deadletters.read";

    /// <summary>Dead letters moved back onto their queue; written before the move.</summary>
    public const string DeadLettersRedriven = "deadletters.redrive";

    /// <summary>Written after a re-drive, with how many it moved and the alumni the moved bodies name.</summary>
    public const string DeadLettersRedriveCompleted = "deadletters.redrive.completed";

    public const string FailedWorkRead = "work.failed.read";

    /// <summary>Failed work items put back to pending; written before the change.</summary>
    public const string FailedWorkRetried = "work.failed.retry";

    /// <summary>Written after a retry, with how many items it put back and the alumni they concern.</summary>
    public const string FailedWorkRetryCompleted = "work.failed.retry.completed";

    /// <summary>A checked bulk departure import, written before its first row is recorded; the detail holds the format and row count, never whom.</summary>
    public const string DeparturesImport = "departures.import";

    /// <summary>Written after a bulk departure import, with its counts; missing when the import broke off.</summary>
    public const string DeparturesImportCompleted = "departures.import.completed";

    /// <summary>Written by the HRIS webhook (actor <c>hris</c>) when HR withdrew the departure of someone invited or joined: the record is kept and flagged (ADR 0041).</summary>
    public const string DepartureWithdrawnFlagged = Alumni.WithdrawDeparture.FlaggedAuditAction;

    /// <summary>Written by the erase page, on the alumnus's own request.</summary>
    public const string AlumnusErased = "alumnus.erased";

    /// <summary>The actions the audit log holds today, offered as suggestions by the console's filter (any text is accepted).</summary>
    public static IReadOnlyList<string> Known { get; } =
        [AlumnusRead, AlumniSearch, AlumniExport, AlumniExportCompleted, AlumnusFlagsChanged, AuditRead, AlumnusErased, DeadLettersRead, DeadLettersRedriven, DeadLettersRedriveCompleted, FailedWorkRead, FailedWorkRetried, FailedWorkRetryCompleted, DeparturesImport, DeparturesImportCompleted, DepartureWithdrawnFlagged];
}

using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Validation;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Openings;

public enum InterestChoice
{
    Interest,
    Withdraw,
}

public enum InterestOutcome
{
    Expressed,
    Withdrawn,

    /// <summary>Nothing changed (interest expressed twice, or withdrawn when there was none); nobody is told again.</summary>
    Unchanged,
}

public enum OpeningsPageStatus
{
    /// <summary>The open positions the alumnus may see, with their interest so far.</summary>
    Show,

    /// <summary>An interest was expressed or withdrawn (<see cref="OpeningsView.Outcome"/> says which, or that nothing changed).</summary>
    Recorded,

    /// <summary>The answer broke a rule (<see cref="OpeningsView.Errors"/>); nothing was saved.</summary>
    Refused,

    /// <summary>No such opening for this alumnus (closed, unknown, or not theirs to see): nothing was saved.</summary>
    NotFound,

    /// <summary>Someone else changed the interest under every attempt; nothing was saved.</summary>
    Busy,

    /// <summary>The alumnus has not joined the network (or no longer is a member): openings are for members.</summary>
    NotAMember,

    /// <summary>The alumnus has been rehired: openings for alumni are no longer for them.</summary>
    Returned,
    Expired,
    Gone,
    Invalid,
}

public sealed record OpeningEntry(Opening Opening, OpeningInterest? Interest)
{
    public bool Interested => Interest?.Status == InterestStatus.Interested;
}

/// <param name="BoundToOne">The link was a campaign's, bound to one opening: the page shows that opening alone.</param>
public sealed record OpeningsView(
    OpeningsPageStatus Status,
    Alumnus? Alumnus,
    IReadOnlyList<OpeningEntry> Openings,
    bool BoundToOne = false,
    InterestOutcome? Outcome = null,
    IReadOnlyList<FieldError>? Errors = null);

/// <summary>
/// The open positions page behind a signed link: members see the openings they may see (never a sensitive one, except
/// through the link its campaign sent them, and never one to a person flagged for a conflict of interest), express
/// interest with a short note, and withdraw it. Each change owes the recruiter's mailbox one notice, scheduled before the
/// change is written, so no crash loses it; expressing interest twice changes nothing and owes nothing. A change written as
/// the alumnus's erasure began is taken back and answered as erased (<see cref="Privacy.ErasureRecheck"/>).
/// </summary>
public sealed partial class BrowseOpenings(
    SignedLinkAccess links, IOpeningStore openings, IWorkItemStore work, OpeningsPersonalData personalData, Privacy.ErasureRecheck erasure,
    TimeProvider time, ILogger<BrowseOpenings> logger)
{
    public const int MaxAttempts = 5;

    public async Task<OpeningsView> ShowAsync(string? token, CancellationToken cancellationToken)
    {
        var (view, boundTo) = await OpenAsync(token, cancellationToken);
        return view.Status != OpeningsPageStatus.Show ? view : await ListAsync(view.Alumnus!, boundTo, OpeningsPageStatus.Show, null, cancellationToken);
    }

    /// <param name="openingId">The opening the form was about; it must be one the page shows this alumnus.</param>
    public async Task<OpeningsView> RespondAsync(string? token, string? openingId, InterestChoice choice, string? note, CancellationToken cancellationToken)
    {
        var (view, boundTo) = await OpenAsync(token, cancellationToken);
        if (view.Status != OpeningsPageStatus.Show)
        {
            return view;
        }

        var alumnus = view.Alumnus!;
        if (NoteProblem(note) is { } problem)
        {
            return await ListAsync(alumnus, boundTo, OpeningsPageStatus.Refused, null, cancellationToken) with { Errors = [problem] };
        }

        if (!Opening.IsId(openingId) || (boundTo is not null && boundTo != openingId) ||
            await openings.GetAsync(openingId, cancellationToken) is not { } opening || !opening.IsVisibleTo(alumnus, boundTo is not null))
        {
            return await ListAsync(alumnus, boundTo, OpeningsPageStatus.NotFound, null, cancellationToken);
        }

        // Due a moment after the write it announces, and written again when the write was slow: notice work that ran
        // before the change landed found nothing pending and completed, and nothing else would tell the recruiter.
        var notice = new IntentWork(work, time);
        var subject = OpeningWork.PersonSubject(opening.Id, alumnus.Id);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var now = time.GetUtcNow();
            var interest = await openings.GetInterestAsync(opening.Id, alumnus.Id, cancellationToken) ?? OpeningInterest.New(opening.Id, alumnus.Id);
            var changed = choice == InterestChoice.Interest ? interest.Express(NoteText(note), now) : interest.Withdraw(now);
            if (!changed)
            {
                return await ListAsync(alumnus, boundTo, OpeningsPageStatus.Recorded, InterestOutcome.Unchanged, cancellationToken);
            }

            await notice.EnsureAsync(WorkKinds.OpeningInterest, subject, cancellationToken);
            if (await openings.TrySaveInterestAsync(interest, cancellationToken))
            {
                await notice.EnsureAsync(WorkKinds.OpeningInterest, subject, cancellationToken);
                if (!await erasure.WriteStandsAsync(alumnus.Id, ct => personalData.RemoveAsync(alumnus.Id, ct), cancellationToken))
                {
                    return new OpeningsView(OpeningsPageStatus.Gone, null, []);
                }

                var outcome = choice == InterestChoice.Interest ? InterestOutcome.Expressed : InterestOutcome.Withdrawn;
                LogRecorded(opening.Id, outcome);
                return await ListAsync(alumnus, boundTo, OpeningsPageStatus.Recorded, outcome, cancellationToken);
            }
        }

        return await ListAsync(alumnus, boundTo, OpeningsPageStatus.Busy, null, cancellationToken);
    }

    /// <summary>
    /// Why a note cannot be sent, or null: at most <see cref="OpeningInterest.MaxNote"/> characters counted with LF line
    /// breaks (as the browser's <c>maxlength</c> counts them), line breaks but no other control characters, nothing that
    /// makes it read other than it is in the recruiter's mail (<see cref="FreeText"/>).
    /// </summary>
    public static FieldError? NoteProblem(string? note) =>
        note is not null && (NoteText(note).Length > OpeningInterest.MaxNote || note.Any(c => FreeText.IsRefusedControl(c, tabs: true) || FreeText.IsMisleading(c)))
            ? new FieldError("note", $"must be at most {OpeningInterest.MaxNote} characters, without control, text-direction or line-separator characters")
            : null;

    /// <summary>The note as it is measured and stored: LF line breaks, trimmed.</summary>
    private static string NoteText(string? note) => FreeText.NormaliseLineBreaks(note ?? "").Trim();

    /// <returns>The page for a link that opens nothing (then no opening id), or Show with the alumnus and the opening it is bound to, if any.</returns>
    private async Task<(OpeningsView View, string? BoundTo)> OpenAsync(string? token, CancellationToken cancellationToken)
    {
        var access = await links.ResolveAsync(token, LinkPurpose.Openings, cancellationToken);
        var status = access.Status switch
        {
            LinkAccessStatus.Expired => OpeningsPageStatus.Expired,
            LinkAccessStatus.Gone => OpeningsPageStatus.Gone,
            LinkAccessStatus.Invalid => OpeningsPageStatus.Invalid,
            _ when access.Scope is not null && Opening.IdFrom(access.Scope) is null => OpeningsPageStatus.Invalid,
            _ when access.Required.Status == AlumnusStatus.Returned => OpeningsPageStatus.Returned,
            _ when access.Required.Status != AlumnusStatus.Joined => OpeningsPageStatus.NotAMember,
            _ => OpeningsPageStatus.Show,
        };
        return (new OpeningsView(status, status is OpeningsPageStatus.Invalid or OpeningsPageStatus.Gone ? null : access.Alumnus, []), Opening.IdFrom(access.Scope));
    }

    private async Task<OpeningsView> ListAsync(Alumnus alumnus, string? boundTo, OpeningsPageStatus status, InterestOutcome? outcome, CancellationToken cancellationToken)
    {
        var visible = boundTo is not null
            ? await openings.GetAsync(boundTo, cancellationToken) is { } one && one.IsVisibleTo(alumnus, linkBoundToIt: true) ? [one] : []
            : (await openings.ListAsync(cancellationToken)).Where(o => o.IsVisibleTo(alumnus, linkBoundToIt: false)).ToArray();
        var entries = new List<OpeningEntry>();
        foreach (var opening in visible)
        {
            entries.Add(new OpeningEntry(opening, await openings.GetInterestAsync(opening.Id, alumnus.Id, cancellationToken)));
        }

        return new OpeningsView(status, alumnus, entries, boundTo is not null, outcome);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Interest in opening {OpeningId} recorded: {Outcome}")]
    private partial void LogRecorded(string openingId, InterestOutcome outcome);
}

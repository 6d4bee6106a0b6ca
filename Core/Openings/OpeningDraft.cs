using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Validation;

namespace AlumniNetwork.Core.Openings;

/// <summary>
/// Reads an opening as a recruiter posts it (create and update take the same body) and reports every problem at once,
/// each naming its field and rule. Invalid input never builds an opening.
/// <code>
/// { "title": { "ja": "…", "en": "…" }, "description": { "ja": "…", "en": "…" }, "kind": "ShortTermProject",
///   "department": "Markets", "location": "Tokyo", "remote": false, "skills": ["Python", "リスク管理"],
///   "start": "2027-04-01", "end": "2027-09-30", "recruiterMailbox": "careers@example.co.jp",
///   "confidentiality": "Normal", "status": "Open" }
/// </code>
/// </summary>
public static class OpeningDraft
{
    public const int MaxTitle = 200;
    public const int MaxDescription = 5000;
    public const int MaxLine = 200;
    public const int MaxSkills = 20;
    public const int MaxSkill = 50;

    public static IReadOnlyList<string> Fields { get; } =
        ["title", "description", "kind", "department", "location", "remote", "skills", "start", "end", "recruiterMailbox", "confidentiality", "status"];

    /// <param name="mailboxDomains">The company's mail domains a recruiter mailbox must be at (subdomains count).</param>
    public static (OpeningDetails? Details, IReadOnlyList<FieldError> Errors) Parse(ReadOnlySpan<byte> body, CompanyMailDomains mailboxDomains)
    {
        var (fields, problems) = JsonFields.Read(body, Fields);
        if (fields is null)
        {
            return (null, problems);
        }

        var title = fields.Bilingual("title", MaxTitle, required: true);
        var description = fields.Bilingual("description", MaxDescription, required: true, multiline: true);
        var kind = fields.Choice<OpeningKind>("kind", required: true);
        var department = fields.Line("department", MaxLine, required: false);
        var location = fields.Line("location", MaxLine, required: false);
        var remote = fields.Flag("remote") ?? false;
        var skills = fields.Lines("skills", MaxSkills, MaxSkill);
        var start = fields.Date("start", required: false);
        var end = fields.Date("end", required: false);
        var mailbox = Mailbox(fields, mailboxDomains);
        var confidentiality = fields.Choice<Confidentiality>("confidentiality", required: false) ?? Confidentiality.Normal;
        var status = fields.Choice<OpeningStatus>("status", required: false) ?? OpeningStatus.Open;
        var errors = fields.Errors;

        if (location is null && !remote && !errors.Any(e => e.Field is "location" or "remote"))
        {
            errors.Add(new FieldError("location", "is required unless remote is true: where the work is done"));
        }

        if (kind is OpeningKind.ShortTermProject && end is null && !errors.Any(e => e.Field == "end"))
        {
            errors.Add(new FieldError("end", "is required for a ShortTermProject: when the project ends"));
        }

        if (kind is OpeningKind.Comeback or OpeningKind.MidCareer && end is not null)
        {
            errors.Add(new FieldError("end", "may be given only for ShortTermProject and Advisory openings"));
        }

        if (start is { } from && end is { } to && to < from)
        {
            errors.Add(new FieldError("end", "must not be before start"));
        }

        return errors.Count > 0
            ? (null, errors)
            : (new OpeningDetails(new LocalizedText(title!.Value.Japanese, title.Value.English), new LocalizedText(description!.Value.Japanese, description.Value.English),
                kind!.Value, department, location, remote, skills, start, end, mailbox!, confidentiality, status), errors);
    }

    private static EmailAddress? Mailbox(JsonFields fields, CompanyMailDomains domains)
    {
        var text = fields.Line("recruiterMailbox", 254, required: true);
        if (text is null)
        {
            return null;
        }

        if (!EmailAddress.TryParse(text, out var address))
        {
            fields.Errors.Add(new FieldError("recruiterMailbox", "must be a valid email address"));
            return null;
        }

        if (!domains.Contains(address))
        {
            fields.Errors.Add(new FieldError("recruiterMailbox", $"must be a team mailbox at the company's mail domains ({string.Join(", ", domains.Domains)}; subdomains count), not a private address"));
            return null;
        }

        return address;
    }
}

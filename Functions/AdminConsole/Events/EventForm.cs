using System.Globalization;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Profiles;
using AlumniNetwork.Core.Validation;
using AlumniNetwork.Functions.EditProfile;
using Microsoft.Extensions.Primitives;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.AdminConsole.Events;

/// <summary>
/// The event form: one control per field of the JSON admin API's event body (<see cref="EventDraft"/>), named by its path,
/// so <c>CreateEvent</c>/<c>UpdateEvent</c> and the console parse the same body with the same rules (ADR 0032). Hosts are
/// rows; blank rows are dropped and the rest numbered again before the body is built, so an error about
/// <c>hosts[1].name</c> names the second row the form shows again.
/// </summary>
public static class EventForm
{
    /// <summary>Blank host rows a form offers beyond the filled ones.</summary>
    public const int BlankHostRows = 2;

    public const string Reasons = "audience.reasons";
    public const string ReturnInterests = "audience.returnInterests";

    /// <summary>The form's checkbox groups, the only fields that may be sent more than once.</summary>
    public static IReadOnlyCollection<string> MultiValued { get; } = [Reasons, ReturnInterests];

    private static readonly FormField[] Details =
    [
        new("title.ja"), new("title.en"), new("description.ja"), new("description.en"), new("kind"),
        new("start"), new("end"), new("timeZone"), new("registrationDeadline"), new("venue"), new("onlineUrl"), new("capacity", FormFieldKind.WholeNumber),
        new("audience.departedFromYear", FormFieldKind.WholeNumber), new("audience.departedToYear", FormFieldKind.WholeNumber),
        new("audience.lastWorkingDayFrom"), new("audience.lastWorkingDayTo"),
        new("audience.departments", FormFieldKind.Lines), new(Reasons, FormFieldKind.Choices),
        new("audience.locations", FormFieldKind.Lines), new("audience.keywords", FormFieldKind.Lines), new(ReturnInterests, FormFieldKind.Choices),
    ];

    private static readonly string[] HostParts = ["name", "role", "title"];

    private static string Host(int row, string part) => $"hosts[{row}].{part}";

    /// <summary>The posted form, host rows without a name or title dropped and the rest numbered from 0.</summary>
    public static ConsoleFormValues Posted(IFormCollection form)
    {
        var values = ConsoleFormValues.From(form);
        var filled = Enumerable.Range(0, EventDraft.MaxHosts + BlankHostRows)
            .Where(i => values[Host(i, "name")].Trim().Length > 0 || values[Host(i, "title")].Trim().Length > 0)
            .ToArray();
        var clear = form.Keys.Where(k => k.StartsWith("hosts[", StringComparison.Ordinal)).Select(k => KeyValuePair.Create(k, StringValues.Empty));
        var kept = filled.SelectMany((from, to) => HostParts.Select(part => KeyValuePair.Create(Host(to, part), new StringValues(values[Host(from, part)]))));
        return values.With(clear.Concat(kept));
    }

    /// <summary>The JSON body of the admin API from the form's values.</summary>
    public static byte[] Body(ConsoleFormValues values) =>
        values.ToJson(Details.Concat(Enumerable.Range(0, HostRows(values)).SelectMany(i => new FormField[] { new(Host(i, "name")), new(Host(i, "role")), new(Host(i, "title")) })));

    /// <summary>A new event's form: the company's time zone, nothing else filled.</summary>
    public static ConsoleFormValues New(string timeZone) => ConsoleFormValues.NewCreate().With([KeyValuePair.Create("timeZone", new StringValues(timeZone))]);

    /// <summary>The stored event as the form shows it for editing.</summary>
    public static ConsoleFormValues Of(EventView e)
    {
        static StringValues Year(int? year) => year?.ToString(CultureInfo.InvariantCulture);
        static StringValues Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var values = new Dictionary<string, StringValues>(StringComparer.Ordinal)
        {
            ["title.ja"] = e.Title.Ja, ["title.en"] = e.Title.En, ["description.ja"] = e.Description.Ja, ["description.en"] = e.Description.En,
            ["kind"] = e.Kind, ["start"] = e.Start, ["end"] = e.End, ["timeZone"] = e.TimeZone, ["registrationDeadline"] = e.RegistrationDeadline,
            ["venue"] = e.Venue, ["onlineUrl"] = e.OnlineUrl, ["capacity"] = e.Capacity.ToString(CultureInfo.InvariantCulture),
            ["audience.departedFromYear"] = Year(e.Audience.DepartedFromYear), ["audience.departedToYear"] = Year(e.Audience.DepartedToYear),
            ["audience.lastWorkingDayFrom"] = Day(e.Audience.LastWorkingDayFrom), ["audience.lastWorkingDayTo"] = Day(e.Audience.LastWorkingDayTo),
            ["audience.departments"] = string.Join('\n', e.Audience.Departments), ["audience.locations"] = string.Join('\n', e.Audience.Locations),
            ["audience.keywords"] = string.Join('\n', e.Audience.Keywords),
            [Reasons] = e.Audience.Reasons.Select(r => r.ToString()).ToArray(),
            [ReturnInterests] = e.Audience.ReturnInterests.Select(r => r.ToString()).ToArray(),
            [RecordVersion.Field] = RecordVersion.Of(e.UpdatedAt).ToString(),
        };
        foreach (var (host, i) in e.Hosts.Select((h, i) => (h, i)))
        {
            (values[Host(i, "name")], values[Host(i, "role")], values[Host(i, "title")]) = (host.Name, host.Role, host.Title);
        }

        return ConsoleFormValues.Of(values);
    }

    private static int HostRows(ConsoleFormValues values) =>
        Enumerable.Range(0, EventDraft.MaxHosts + BlankHostRows).LastOrDefault(i => values[Host(i, "name")].Length > 0 || values[Host(i, "title")].Length > 0, -1) + 1;

    /// <summary>The form, filled with <paramref name="values"/>; <paramref name="errors"/> listed first and their controls marked.</summary>
    public static string Render(ConsoleView view, string action, string submit, ConsoleFormValues values, IReadOnlyList<FieldError> errors, bool published)
    {
        var f = new ConsoleFields(values, errors);
        var hosts = Enumerable.Range(0, Math.Min(EventDraft.MaxHosts, HostRows(values) + BlankHostRows)).Select(i => $"""
            <fieldset><legend>{view.T($"登壇者・主催者 {i + 1}", $"Host or speaker {i + 1}")}</legend>
            {f.Text(Host(i, "name"), view.T("氏名", "Name"), EventDraft.MaxName)}
            {f.Select(Host(i, "role"), view.T("立場", "Role"), Enum.GetNames<HostRole>().Select(r => (r, HostRoleLabel(view, r))))}
            {f.Text(Host(i, "title"), view.T("肩書き (任意)", "Title (optional)"), EventDraft.MaxName)}
            </fieldset>
            """);
        var audienceNote = published
            ? $"""<p class="secondary">{view.T("公開後は対象を変更できません (招待はすでに最初の対象に送られています)。", "The audience cannot change once the event is published: the invitations went to the first audience.")}</p>"""
            : "";
        return $"""
            {ConsolePage.Errors(view, errors)}
            <form method="post" action="{E(action)}">
            {ConsoleForms.TokenField(view.Context)}
            {ConsoleForms.VersionField(values[RecordVersion.Field])}
            {ConsoleForms.KeyField(values[IdempotencyKey.Field])}
            <fieldset><legend>{view.T("イベント", "Event")}</legend>
            {f.Text("title.ja", view.T("タイトル (日本語)", "Title (Japanese)"), EventDraft.MaxTitle, required: true)}
            {f.Text("title.en", view.T("タイトル (英語)", "Title (English)"), EventDraft.MaxTitle, required: true)}
            {f.TextArea("description.ja", view.T("説明 (日本語)", "Description (Japanese)"), EventDraft.MaxDescription)}
            {f.TextArea("description.en", view.T("説明 (英語)", "Description (English)"), EventDraft.MaxDescription)}
            {f.Select("kind", view.T("種類", "Kind"), Enum.GetValues<EventKind>().Select(k => (k.ToString(), EventMail.KindLabel(k, view.Locale))))}
            </fieldset>
            <fieldset><legend>{view.T("日時と場所", "When and where")}</legend>
            {f.Text("start", view.T("開始", "Starts"), 0, "datetime-local", required: true)}
            {f.Text("end", view.T("終了", "Ends"), 0, "datetime-local", required: true)}
            {f.Text("timeZone", view.T("タイムゾーン", "Time zone"), 100, hint: view.T("例: Asia/Tokyo", "e.g. Asia/Tokyo"), required: true)}
            {f.Text("registrationDeadline", view.T("申込締切 (空欄なら開始時刻)", "Registration closes (blank: at the start)"), 0, "datetime-local")}
            {f.Text("venue", view.T("会場", "Venue"), EventDraft.MaxVenue)}
            {f.Text("onlineUrl", view.T("オンライン URL (参加登録した人だけに表示)", "Online URL (shown to registered attendees only)"), EventDraft.MaxUrl, "url")}
            {f.Text("capacity", view.T("定員", "Capacity"), 0, "number", required: true)}
            </fieldset>
            {string.Concat(hosts)}
            <fieldset><legend>{view.T("招待する対象 (空欄はイベントに同意した会員全員)", "Who is invited (blank: every member who consented to events)")}</legend>
            {audienceNote}
            {f.Text("audience.departedFromYear", view.T("退職年 (から)", "Left in or after year"), 0, "number")}
            {f.Text("audience.departedToYear", view.T("退職年 (まで)", "Left in or before year"), 0, "number")}
            {f.Text("audience.lastWorkingDayFrom", view.T("最終出社日 (から)", "Last working day from"), 0, "date")}
            {f.Text("audience.lastWorkingDayTo", view.T("最終出社日 (まで)", "Last working day to"), 0, "date")}
            {f.TextArea("audience.departments", view.T("部署 (1行に1つ)", "Departments (one a line)"), 5000, 3)}
            {f.Checkboxes(Reasons, view.T("退職理由", "Reason for leaving"), Enum.GetValues<DepartureReason>().Select(r => (r.ToString(), ReasonLabel(view, r))))}
            {f.TextArea("audience.locations", view.T("所在地に含む語 (1行に1つ)", "Location contains (one a line)"), 5000, 3)}
            {f.TextArea("audience.keywords", view.T("スキル・関心に含む語 (1行に1つ)", "Skills or interests contain (one a line)"), 5000, 3)}
            {f.Checkboxes(ReturnInterests, view.T("復帰への関心", "Interest in returning"), Enum.GetValues<ReturnInterest>().Select(r => (r.ToString(), ProfilePage.ReturnLabel(r, view.Locale))))}
            </fieldset>
            <p><button type="submit">{E(submit)}</button></p>
            </form>
            """;
    }

    public static string HostRoleLabel(ConsoleView view, string role) => role switch
    {
        nameof(HostRole.Employee) => view.T("社員", "Employee"),
        nameof(HostRole.Alumnus) => view.T("アルムナイ", "Alumnus"),
        _ => role,
    };

    public static string ReasonLabel(ConsoleView view, DepartureReason reason) => reason switch
    {
        DepartureReason.Voluntary => view.T("自己都合", "Voluntary"),
        DepartureReason.Retirement => view.T("定年退職", "Retirement"),
        DepartureReason.ContractEnd => view.T("契約満了", "End of contract"),
        DepartureReason.Involuntary => view.T("会社都合", "Involuntary"),
        _ => view.T("その他", "Other"),
    };
}

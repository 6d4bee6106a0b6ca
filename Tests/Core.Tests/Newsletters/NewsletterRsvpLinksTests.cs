using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Newsletters;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Tests.Events;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Newsletters;

/// <summary>
/// The newsletter's upcoming events carry each reader's own RSVP links, the invitation's, as substitutions of their
/// personalization; a full event offers the waitlist; one cancelled or closed for registration by the batch is not listed.
/// </summary>
public sealed class NewsletterRsvpLinksTests
{
    private const string IssueId = "2027-01";

    /// <summary>How the issue store writes entries.</summary>
    private static readonly System.Text.Json.JsonSerializerOptions Web = new(System.Text.Json.JsonSerializerDefaults.Web);

    private readonly FakeTimeProvider time = new(EventBuilders.Now);
    private readonly Mock<IEventStore> events = new();
    private readonly Mock<INewsletterIssueStore> issues = new();
    private readonly Alumnus japanese = Builders.Alumnus(EventBuilders.Now, AlumnusStatus.Joined);
    private readonly Alumnus english = Builders.Alumnus(EventBuilders.Now, AlumnusStatus.Joined, Locale.English);

    private AlumniLinks Links() => new(new LinkTokenService(Builders.Links(), time), Builders.Company());

    private NewsletterComposer Composer()
    {
        var company = Builders.Company();
        var section = new UpcomingEventsSection(events.Object, time);
        return new NewsletterComposer(issues.Object, new NewsletterDraft([section], new CompanyCalendar(company), time), [section], Links(), company);
    }

    /// <summary>Stores the issue composed now from <paramref name="upcoming"/>, each event readable by id as it is when a batch reads it.</summary>
    private async Task StoreIssueAsync(params NetworkEvent[] upcoming)
    {
        events.Setup(s => s.UpcomingAsync(It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync(upcoming);
        foreach (var e in upcoming)
        {
            events.Setup(s => s.GetAsync(e.Id, It.IsAny<CancellationToken>())).ReturnsAsync(e);
        }

        var draft = new NewsletterDraft([new UpcomingEventsSection(events.Object, time)], new CompanyCalendar(Builders.Company()), time);
        var issue = await draft.ComposeAsync(IssueId, SentEntries.Of(null), CancellationToken.None);
        issues.Setup(i => i.GetAsync(IssueId, It.IsAny<CancellationToken>())).ReturnsAsync(issue);
    }

    private static NetworkEvent Event(string titleEn, int day, int capacity = 2)
    {
        var e = EventBuilders.Event(capacity);
        e.Details = e.Details with
        {
            Title = new LocalizedText($"{titleEn}（日本語）", titleEn),
            StartsAt = e.Details.StartsAt.AddDays(day),
            EndsAt = e.Details.EndsAt.AddDays(day),
            RegistrationDeadline = e.Details.RegistrationDeadline.AddDays(day),
        };
        return e;
    }

    private static (string Html, string Text) Render(ICampaignMail mail, Alumnus recipient)
    {
        var template = mail.Template(recipient.Locale);
        var values = mail.Values(recipient);
        return (Placeholders.Fill(template.Html, values, html: true), Placeholders.Fill(template.Text, values, html: false));
    }

    [Fact]
    public async Task EachReader_GetsTheInvitationsOwnAttendAndDeclineLinks_InHtmlAndText_InTheirLanguage()
    {
        var lecture = Event("Alumni lecture", day: 0);
        await StoreIssueAsync(lecture);

        var mail = await Composer().LoadAsync(IssueId, CancellationToken.None);

        var links = Links();
        foreach (var reader in new[] { japanese, english })
        {
            var values = mail!.Values(reader);
            var attend = links.RsvpLink(lecture, reader, "attend").AbsoluteUri;
            var decline = links.RsvpLink(lecture, reader, "decline").AbsoluteUri;
            Assert.Equal((attend, decline), (values[NewsletterMail.RsvpUrlKey(1, "attend")], values[NewsletterMail.RsvpUrlKey(1, "decline")]));
            var (html, text) = Render(mail, reader);
            var (attendLabel, declineLabel) = reader.Locale == Locale.Japanese ? ("参加する", "参加しない") : ("I will attend", "I cannot attend");
            Assert.Contains($"<a href=\"{attend.Replace("&", "&amp;", StringComparison.Ordinal)}\">{attendLabel}</a>", html, StringComparison.Ordinal);
            Assert.Contains($"<a href=\"{decline.Replace("&", "&amp;", StringComparison.Ordinal)}\">{declineLabel}</a>", html, StringComparison.Ordinal);
            Assert.Contains($"{attendLabel}: {attend}\n{declineLabel}: {decline}", text, StringComparison.Ordinal);
        }

        // Per person: the link names its reader and the event, and lives as long as the invitation's.
        var token = Uri.UnescapeDataString(new Uri(mail!.Values(english)[NewsletterMail.RsvpUrlKey(1, "attend")]).Query.Split('&')[0]["?token=".Length..]);
        var tokens = new LinkTokenService(Builders.Links(), time);
        var check = tokens.Check(token, LinkPurpose.Rsvp);
        Assert.Equal((LinkTokenStatus.Valid, english.Id, lecture.LinkScope), (check.Status, check.AlumnusId, check.Scope));
        Assert.NotEqual(mail.Values(japanese)[NewsletterMail.RsvpUrlKey(1, "attend")], mail.Values(english)[NewsletterMail.RsvpUrlKey(1, "attend")]);
        time.SetUtcNow(lecture.Details.EndsAt + EventWork.RsvpLinkLife - TimeSpan.FromMinutes(1));
        Assert.Equal(LinkTokenStatus.Valid, tokens.Check(token, LinkPurpose.Rsvp).Status);
        time.SetUtcNow(lecture.Details.EndsAt + EventWork.RsvpLinkLife);
        Assert.Equal(LinkTokenStatus.Expired, tokens.Check(token, LinkPurpose.Rsvp).Status);
    }

    [Fact]
    public async Task AFullEvent_OffersTheWaitlist_AsDoesOneWithPeopleWaitingForAFreedSeat()
    {
        var (open, full, waiting) = (Event("Open lecture", day: 0), Event("Full lecture", day: 1, capacity: 1), Event("Waited-for lecture", day: 2, capacity: 2));
        full.Attend(null, AlumnusId.New(), EventBuilders.Now);
        waiting.Attend(null, AlumnusId.New(), EventBuilders.Now);
        waiting.Attend(null, AlumnusId.New(), EventBuilders.Now);
        waiting.Attend(null, AlumnusId.New(), EventBuilders.Now);
        Assert.Equal((2, 1), (waiting.Attending, waiting.Waitlisted));
        await StoreIssueAsync(open, full, waiting);

        // A seat freed while one person waits: a newcomer still joins the line behind them.
        waiting.Details = waiting.Details with { Capacity = 3 };
        var mail = await Composer().LoadAsync(IssueId, CancellationToken.None);

        var (html, text) = Render(mail!, english);
        var (jaHtml, jaText) = Render(mail!, japanese);
        Assert.Equal(1, Occurrences(html, ">I will attend</a>"));
        Assert.Equal(2, Occurrences(html, ">Join the waitlist</a>"));
        Assert.Equal(2, Occurrences(text, UpcomingEventsSection.FullEn));
        Assert.True(text.IndexOf("Full lecture", StringComparison.Ordinal) < text.IndexOf("Join the waitlist: https://", StringComparison.Ordinal));
        Assert.Equal(1, Occurrences(jaHtml, ">参加する</a>"));
        Assert.Equal(2, Occurrences(jaHtml, ">キャンセル待ちに登録する</a>"));
        Assert.Equal(2, Occurrences(jaText, UpcomingEventsSection.FullJa));
        Assert.Equal(3, Occurrences(jaHtml, ">参加しない</a>"));
    }

    [Fact]
    public async Task AnEventCancelledOrClosedForRegistrationByTheBatch_IsNotListed_AndHasNoLinks_TheOthersKeepTheirs()
    {
        var (stillOpen, cancelled, closing) = (Event("Open lecture", day: 3), Event("Cancelled lecture", day: 1), Event("Closing lecture", day: 2));
        closing.Details = closing.Details with { RegistrationDeadline = EventBuilders.Now.AddHours(1) };
        await StoreIssueAsync(stillOpen, cancelled, closing);

        cancelled.Cancel(EventBuilders.Now);
        time.Advance(TimeSpan.FromHours(1));
        var mail = await Composer().LoadAsync(IssueId, CancellationToken.None);

        var (html, text) = Render(mail!, english);
        Assert.DoesNotContain("Cancelled lecture", html + text, StringComparison.Ordinal);
        Assert.DoesNotContain("Closing lecture", html + text, StringComparison.Ordinal);
        Assert.Equal(Links().RsvpLink(stillOpen, english, "attend").AbsoluteUri, mail!.Values(english)[NewsletterMail.RsvpUrlKey(1, "attend")]);
        Assert.Equal(
            [NewsletterMail.NameKey, NewsletterMail.RsvpUrlKey(1, "attend"), NewsletterMail.RsvpUrlKey(1, "decline")],
            mail.Values(english).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AnIssue_ListsAtMostFiveEvents_SoonestFirst_AndAStoredOneWithMoreSendsFive()
    {
        var upcoming = Enumerable.Range(0, 7).Select(day => Event($"Lecture {day}", day)).ToArray();
        await StoreIssueAsync(upcoming);
        var stored = (await issues.Object.GetAsync(IssueId, CancellationToken.None))!;
        issues.Setup(i => i.GetAsync(IssueId, It.IsAny<CancellationToken>())).ReturnsAsync(stored with
        {
            Entries = [.. stored.Entries, .. upcoming.Skip(5).Select(e => stored.Entries[0] with { Key = $"event-{e.Id}-{e.Details.StartsAt.ToUnixTimeSeconds()}" })],
        });

        var mail = await Composer().LoadAsync(IssueId, CancellationToken.None);

        Assert.Equal(UpcomingEventsSection.MaxEvents, stored.Entries.Count);
        Assert.Equal(stored.Entries.Select(e => e.Key), stored.Considered!); // the two left out are new next month
        Assert.Equal(UpcomingEventsSection.MaxEvents * 2, mail!.Values(english).Keys.Count(k => k.StartsWith("rsvp", StringComparison.Ordinal)));
        Assert.DoesNotContain("Lecture 5", Render(mail, english).Html, StringComparison.Ordinal);
    }

    [Fact]
    public void TheLinksAreNotStoredWithTheIssue_TheBatchWritesThemFromTheEventAsItIsThen()
    {
        var entry = new NewsletterEntry(NewsletterSectionKind.Events, "event-1-1", "講演会", "Lecture", "本文", "Text", null)
        {
            Rsvp = new EntryRsvp("event-1", EventBuilders.Now, Full: true),
        };

        var json = System.Text.Json.JsonSerializer.Serialize(entry, Web);

        Assert.DoesNotContain("rsvp", json, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// SendGrid refuses a personalization whose substitutions reach 10,000 bytes (the stricter of its published limits):
    /// a full issue's five events, a long site address, 100-character names and a long key id still leave every reader inside it.
    /// </summary>
    [Fact]
    public void AFullIssue_KeepsEveryReadersSubstitutionsInsideSendGridsLimit()
    {
        var company = Options.Create(new CompanyOptions
        {
            Name = "Example Holdings",
            TimeZone = "Asia/Tokyo",
            DefaultLocale = "ja-JP",
            PublicBaseUrl = new Uri("https://alumni-network.corporate-alumni.example-holdings.co.jp/"),
        });
        var keyId = new string('k', 24);
        var linkOptions = Options.Create(new SignedLinkOptions { ActiveKeyId = keyId, Keys = new() { [keyId] = Builders.Links().Value.Keys["k1"] } });
        var links = new AlumniLinks(new LinkTokenService(linkOptions, time), company);
        var entries = Enumerable.Range(0, UpcomingEventsSection.MaxEvents).Select(i => Event($"Lecture {i}", i))
            .Select(e => new NewsletterEntry(NewsletterSectionKind.Events, $"event-{e.Id}-1", "講演会", "Lecture", "本文", "Text", null)
            {
                Rsvp = new EntryRsvp(e.LinkScope, EventWork.RsvpLinksExpireAt(e), Full: false),
            })
            .Append(new NewsletterEntry(NewsletterSectionKind.Openings, "opening-1-1", "募集", "Opening", "本文", "Text", null))
            .ToArray();
        var mail = new NewsletterMail(new NewsletterIssue(IssueId, EventBuilders.Now, entries), "Example Holdings",
            a => links.Absolute(LinkPurpose.Openings, a), (r, a, choice) => EventWork.RsvpLink(links, r.Scope, r.LinksExpireAt, a, choice));
        var builder = new CampaignMailBuilder(new PromotionalFooter(links, company, Builders.Outreach()));
        var campaign = Campaign.Start(new CampaignRequest("newsletter-2027-01", CampaignKind.Newsletter, IssueId, AudienceSegment.Everyone, "timer"), EventBuilders.Now);
        var readers = Enumerable.Range(0, 3).Select(_ => Builders.Alumnus(EventBuilders.Now, AlumnusStatus.Joined)).ToArray();
        foreach (var reader in readers)
        {
            (reader.GivenName, reader.FamilyName) = (new string('花', 50), new string('山', 50));
        }

        var batch = new CampaignBatch { CampaignId = campaign.Id, Number = 1, Recipients = [.. readers.Select(r => r.Id)] };

        var message = Assert.Single(builder.Build(campaign, batch, mail, readers)).Message();

        Assert.All(message.Recipients, r =>
        {
            Assert.Equal(UpcomingEventsSection.MaxEvents * 4, r.Substitutions.Keys.Count(k => k.StartsWith("{{rsvp", StringComparison.Ordinal)));
            Assert.InRange(r.Substitutions.Sum(s => System.Text.Encoding.UTF8.GetByteCount(s.Key) + System.Text.Encoding.UTF8.GetByteCount(s.Value)), 0, BulkMessage.MaxSubstitutionBytes - 1);
        });
    }

    private static int Occurrences(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}

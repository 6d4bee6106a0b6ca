using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Validation;

namespace AlumniNetwork.Core.Profiles;

/// <summary>A profile as submitted from the form: raw text, validated before it becomes a <see cref="Profile"/>.</summary>
public sealed record ProfileForm(IReadOnlyDictionary<string, string?> Fields);

/// <param name="Submitted">On errors, the form as sent: the page shows it again, so a refused field is never shown (and then saved) empty.</param>
public sealed record ProfileView(LinkAccess Access, Profile Profile, IReadOnlyList<FieldError> Errors, bool Saved = false, ProfileForm? Submitted = null)
{
    /// <summary>The text the page shows for <paramref name="field"/>: what was submitted when it was refused, else what is stored.</summary>
    public string TextOf(ProfileField field) =>
        Submitted is { } form ? FreeText.NormaliseLineBreaks(form.Fields.GetValueOrDefault(field.ToString()) ?? "").Trim() : Profile.ValueOf(field);
}

/// <summary>
/// Shows and saves the alumnus's profile behind a signed link. Invalid input is reported per field and saves nothing. A
/// saved profile is checked against the conflict-of-interest register at once; the check is scheduled before the save,
/// so it also happens if the process dies right after it. Someone whose erasure has begun is answered as erased
/// (<see cref="LinkAccessStatus.Gone"/>, by <see cref="SignedLinkAccess"/>) and nothing is written.
/// </summary>
public sealed class EditProfile(SignedLinkAccess links, Privacy.ErasureRecheck erasure, IProfileStore profiles, Conflicts.ConflictChecks conflicts, TimeProvider time)
{
    public async Task<ProfileView> ShowAsync(string? token, CancellationToken cancellationToken)
    {
        var access = await links.ResolveAsync(token, LinkPurpose.Profile, cancellationToken);
        return new ProfileView(access, await LoadAsync(access, cancellationToken), []);
    }

    public async Task<ProfileView> SaveAsync(string? token, ProfileForm form, CancellationToken cancellationToken)
    {
        var access = await links.ResolveAsync(token, LinkPurpose.Profile, cancellationToken);
        if (access.Status != LinkAccessStatus.Valid)
        {
            return new ProfileView(access, await LoadAsync(access, cancellationToken), []);
        }

        var (profile, errors) = Parse(access.Required.Id, form, time.GetUtcNow());
        if (errors.Count > 0)
        {
            return new ProfileView(access, profile, errors, Submitted: form);
        }

        await conflicts.ScheduleCheckAsync(profile.AlumnusId, cancellationToken);
        await profiles.SaveAsync(profile, cancellationToken);
        // An erasure that began between the check above and the save has deleted the profile already, or will miss it,
        // and the retention purge only deletes profiles of alumni it still finds: so the save takes its own text back.
        var erased = !await erasure.WriteStandsAsync(profile.AlumnusId, ct => profiles.DeleteAsync(profile.AlumnusId, ct), cancellationToken);
        // A save slow enough that the check written before it may have run already writes it again (intent first).
        await conflicts.ScheduleCheckAsync(profile.AlumnusId, cancellationToken);
        await conflicts.CheckAsync(profile.AlumnusId, cancellationToken);
        return erased ? new ProfileView(LinkAccess.GoneFor(profile.AlumnusId), Profile.Empty(default), []) : new ProfileView(access, profile, [], Saved: true);
    }

    internal static (Profile Profile, IReadOnlyList<FieldError> Errors) Parse(AlumnusId id, ProfileForm form, DateTimeOffset now)
    {
        var errors = new List<FieldError>();
        var values = new Dictionary<ProfileField, string>();
        var visibility = new Dictionary<ProfileField, FieldVisibility>();
        foreach (var field in Enum.GetValues<ProfileField>())
        {
            var visibilityText = form.Fields.GetValueOrDefault(field + ".visibility");
            if (string.IsNullOrEmpty(visibilityText))
            {
                visibility[field] = FieldVisibility.Private;
            }
            else if (EnumNames.TryParse<FieldVisibility>(visibilityText, ignoreCase: false, out var chosen))
            {
                visibility[field] = chosen;
            }
            else
            {
                errors.Add(new FieldError(field + ".visibility", "must be Private, Alumni or Employees"));
            }
        }

        foreach (var field in Profile.TextFields)
        {
            var text = FreeText.NormaliseLineBreaks(form.Fields.GetValueOrDefault(field.ToString()) ?? "").Trim();
            if (text.Length > Profile.MaxLength(field))
            {
                errors.Add(new FieldError(field.ToString(), $"must be at most {Profile.MaxLength(field)} characters"));
            }
            else if (text.Any(c => FreeText.IsRefusedControl(c)))
            {
                errors.Add(new FieldError(field.ToString(), "must not contain control characters"));
            }
            else if (text.Any(FreeText.IsMisleading))
            {
                errors.Add(new FieldError(field.ToString(), FreeText.MisleadingRule));
            }
            else if (text.Length > 0)
            {
                values[field] = text;
            }
        }

        var returning = ReturnInterest.Unspecified;
        var returningText = form.Fields.GetValueOrDefault(nameof(ProfileField.OpenToReturning));
        if (!string.IsNullOrEmpty(returningText) && !EnumNames.TryParse(returningText, ignoreCase: false, out returning))
        {
            errors.Add(new FieldError(nameof(ProfileField.OpenToReturning), "must be FullTime, ProjectWork or No"));
        }

        return (new Profile(id, values, returning, visibility, now), errors);
    }

    private async Task<Profile> LoadAsync(LinkAccess access, CancellationToken cancellationToken) =>
        access.Alumnus is { } alumnus ? await profiles.GetAsync(alumnus.Id, cancellationToken) ?? Profile.Empty(alumnus.Id) : Profile.Empty(default);
}

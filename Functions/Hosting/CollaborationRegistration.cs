using AlumniNetwork.Core.Collaboration;
using AlumniNetwork.Core.Conflicts;
using AlumniNetwork.Core.Storage;

namespace AlumniNetwork.Functions.Hosting;

/// <summary>
/// Everything collaboration and the conflict-of-interest checks add to the app, in one place: their options, stores, use
/// cases and functions. Their console areas are registered with the others (<see cref="AdminConsole.ConsoleRegistration"/>).
/// </summary>
public static class CollaborationRegistration
{
    public static void AddCollaboration(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<CollaborationOptions>().Bind(builder.Configuration.GetSection(CollaborationOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ConflictOptions>().Bind(builder.Configuration.GetSection(ConflictOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton<ICollaborationStore, TableCollaborationStore>();
        services.AddSingleton<IConflictRegister, TableConflictRegister>();
        services.AddSingleton<IConflictAssessments, TableConflictAssessments>();
        services.AddSingleton<IApprovalStore, TableApprovalStore>();
        services.AddSingleton<IComplianceApprovals, ComplianceApprovals>();

        services.AddScoped<ConflictChecks>();
        services.AddScoped<ManageConflictRegister>();
        services.AddScoped<ManageApprovals>();
        services.AddScoped<PublishCard>();
        services.AddScoped<Core.Collaboration.CollaborationDirectory>();
        services.AddScoped<ModerateCards>();
        services.AddScoped<Core.Collaboration.RequestCollaboration>();
        services.AddScoped<Core.Collaboration.SendCollaborationMail>();
        services.AddScoped<Core.Collaboration.AnswerCollaborationRequest>();
        services.AddScoped<CollaborationData>();
    }

    public static void MapCollaboration(this WebApplication app)
    {
        PublishCollaborationCard.PublishCollaborationCardFunction.Map(app);
        BrowseCollaborationDirectory.BrowseCollaborationDirectoryFunction.Map(app);
        AnswerCollaborationRequest.AnswerCollaborationRequestFunction.Map(app);
        RequestCollaboration.RequestCollaborationFunction.Map(app);
        SendCollaborationMail.SendCollaborationMailFunction.Map(app);
        CheckConflicts.CheckConflictsFunction.Map(app);
    }
}

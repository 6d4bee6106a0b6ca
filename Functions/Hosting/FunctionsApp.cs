using Microsoft.Extensions.Http.Resilience;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Azure.Messaging.ServiceBus.Administration;
using Azure.Storage.Queues;
using AlumniNetwork.Core.Messaging;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Profiles;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Retention;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Sends;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Core.Webhooks;
using AlumniNetwork.Functions.DevSendGrid;
using AlumniNetwork.Functions.Hosting.Email;
using AlumniNetwork.Functions.DispatchDueWork;
using AlumniNetwork.Functions.GetAlumnus;
using AlumniNetwork.Functions.Hosting.Configuration;
using AlumniNetwork.Functions.Hosting.Edge;
using AlumniNetwork.Functions.Hosting.LocalTriggers;
using AlumniNetwork.Functions.Hosting.Security;
using AlumniNetwork.Functions.Hosting.Telemetry;
using AlumniNetwork.Functions.HrisDepartures;
using AlumniNetwork.Functions.JoinNetwork;
using AlumniNetwork.Functions.SendWelcomeInvitation;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Functions.Hosting;

/// <summary>Composition root: configuration, Core use cases and adapters, and the function endpoints.</summary>
public static class FunctionsApp
{
    public const string CustomHandlerPortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    /// <summary>The Service Bus connection the host's bindings use (identity-based): the app reads dead letters through it too.</summary>
    public const string ServiceBusNamespaceSetting = "ServiceBusConnection:fullyQualifiedNamespace";

    /// <summary>Registers everything and maps every function: the app the host (or a test) runs.</summary>
    public static WebApplication BuildAlumniFunctions(this WebApplicationBuilder builder)
    {
        builder.AddAlumniFunctions();
        var app = builder.Build();
        app.MapAlumniFunctions();
        return app;
    }

    public static void AddAlumniFunctions(this WebApplicationBuilder builder)
    {
        StartupCheck.EnsureRequiredSettings(builder.Configuration, builder.Environment);
        var availability = FunctionAvailability.From(builder.Configuration);
        var underFunctionsHost = builder.Configuration[CustomHandlerPortVariable] is { Length: > 0 } port;
        if (underFunctionsHost)
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{builder.Configuration[CustomHandlerPortVariable]}");
        }

        var services = builder.Services;
        services.AddProblemDetails();
        // Enums leave the API by name (a campaign's status is "Completed", not 2), as they arrive.
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        services.AddExceptionHandler<Http.BadRequestBodies>();
        services.AddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton(availability);
        builder.AddAppTelemetry();
        builder.AddOptions(availability);
        builder.AddStorage();
        builder.AddDeadLetters();
        AddUseCases(services);
        builder.AddSurveys();
        builder.AddCollaboration();
        builder.AddAdminAuthentication();
        AdminConsole.ConsoleRegistration.AddAdminConsole(builder);
        services.AddRequestRateLimits();
        // Retries only where the request cannot have been accepted: a retried POST could send the mail twice. The one
        // attempt gets SendGrid:RequestTimeout (the default 10-second attempt would cut off SendGrid's slow answers); the
        // total must exceed it by the handler's rules, and never ends the call first.
        var sendGridTimeout = builder.Configuration.GetSection(SendGridOptions.SectionName).Get<SendGridOptions>()?.RequestTimeout ?? new SendGridOptions().RequestTimeout;
        services.AddHttpClient<IEmailSender, SendGridEmailSender>().AddStandardResilienceHandler(o =>
        {
            o.Retry.DisableForUnsafeHttpMethods();
            o.AttemptTimeout.Timeout = sendGridTimeout;
            o.TotalRequestTimeout.Timeout = sendGridTimeout + TimeSpan.FromSeconds(5);
            o.CircuitBreaker.SamplingDuration = sendGridTimeout * 2;
        });
        services.AddHttpClient<IBulkEmailSender, SendGridBulkEmailSender>(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler("sendgrid-bulk", (pipeline, context) => BulkEmailResilience.Configure(pipeline, sendGridTimeout, context.ServiceProvider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<AlumniPages.SameOriginForms>();
        if (builder.Environment.IsDevelopment())
        {
            services.AddSingleton<DevOutbox>();
            services.AddSingleton<DevMetrics>();
            BindOptions<DevOutboxOptions>(builder, DevOutboxOptions.SectionName);
        }

        if (!underFunctionsHost && builder.Configuration.GetValue<bool>("LocalTriggerHost:Enabled"))
        {
            // No client timeout (the default 100 seconds would fail longer invocations): FunctionInvoker holds each call to
            // host.json's functionTimeout, as the Functions host does.
            services.AddHttpClient(LocalTriggerHostService.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan);
            services.AddHostedService<LocalTriggerHostService>();
        }
    }

    public static void MapAlumniFunctions(this WebApplication app)
    {
        app.UseResponseHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        AdminConsole.ConsoleRegistration.UseConsoleHttps(app);
        app.UseAuthentication();
        app.UseRequestRateLimits();
        app.UseAuthorization();
        var availability = app.Services.GetRequiredService<FunctionAvailability>();
        availability.LogAtStart(app.Logger);
        app.Use(availability.GateAsync);

        // Readiness: the host polls GET / until any answer comes back.
        app.MapGet("/", () => Results.Ok(new { status = "ready" })).ExcludeFromDescription();
        Health.HealthFunction.Map(app);
        HrisDeparturesFunction.Map(app);
        HrisDepartureBatch.HrisDepartureBatchFunction.Map(app);
        DispatchDueWorkFunction.Map(app);
        SendWelcomeInvitationFunction.Map(app);
        JoinNetworkFunction.Map(app);
        ManagePreferences.ManagePreferencesFunction.Map(app);
        EditProfile.EditProfileFunction.Map(app);
        ExportMyData.ExportMyDataFunction.Map(app);
        EraseMyData.EraseMyDataFunction.Map(app);
        Unsubscribe.UnsubscribeFunction.Map(app);
        GetAlumnusFunction.Map(app);
        SendGridEvents.SendGridEventsFunction.Map(app.MapGroup(string.Empty).WithMetadata(new FunctionEndpoint(nameof(SendGridEvents))));
        PurgeExpiredData.PurgeExpiredDataFunction.Map(app);
        SearchAlumni.SearchAlumniFunction.Map(app);
        SearchAlumniByBody.SearchAlumniByBodyFunction.Map(app);
        SetAlumnusFlags.SetAlumnusFlagsFunction.Map(app);
        ExportAlumniCsv.ExportAlumniCsvFunction.Map(app);
        ImportDepartures.ImportDeparturesFunction.Map(app);
        QueryAuditLog.QueryAuditLogFunction.Map(app);
        PlanCampaign.PlanCampaignFunction.Map(app);
        SendCampaignBatch.SendCampaignBatchFunction.Map(app);
        ListCampaigns.ListCampaignsFunction.Map(app);
        GetCampaign.GetCampaignFunction.Map(app);
        ComposeNewsletter.ComposeNewsletterFunction.Map(app);
        CreateNewsItem.CreateNewsItemFunction.Map(app);
        ListNewsItems.ListNewsItemsFunction.Map(app);
        GetNewsItem.GetNewsItemFunction.Map(app);
        ReplaceNewsItem.ReplaceNewsItemFunction.Map(app);
        DeleteNewsItem.DeleteNewsItemFunction.Map(app);
        PreviewNewsletter.PreviewNewsletterFunction.Map(app);
        SendNewsletterTest.SendNewsletterTestFunction.Map(app);
        ListDeadLetters.ListDeadLettersFunction.Map(app);
        RedriveDeadLetters.RedriveDeadLettersFunction.Map(app);
        ListFailedWork.ListFailedWorkFunction.Map(app);
        RetryFailedWork.RetryFailedWorkFunction.Map(app);
        MapEventFunctions(app);
        app.MapSurveyFunctions();
        MapOpeningFunctions(app);
        app.MapCollaboration();
        AdminConsole.ConsoleRegistration.MapAdminConsole(app);
        if (app.Environment.IsDevelopment())
        {
            app.MapDevSendGrid();
        }
    }

    private static void MapEventFunctions(WebApplication app)
    {
        CreateEvent.CreateEventFunction.Map(app);
        GetEvent.GetEventFunction.Map(app);
        UpdateEvent.UpdateEventFunction.Map(app);
        PublishEvent.PublishEventFunction.Map(app);
        CancelEvent.CancelEventFunction.Map(app);
        ListEventAttendees.ListEventAttendeesFunction.Map(app);
        ExportEventCheckIn.ExportEventCheckInFunction.Map(app);
        MarkEventAttendance.MarkEventAttendanceFunction.Map(app);
        InviteEventStaff.InviteEventStaffFunction.Map(app);
        RespondToEvent.RespondToEventFunction.Map(app);
        SendEventMail.SendEventMailFunction.Map(app);
    }

    private static void MapOpeningFunctions(WebApplication app)
    {
        CreateOpening.CreateOpeningFunction.Map(app);
        ListOpenings.ListOpeningsFunction.Map(app);
        GetOpening.GetOpeningFunction.Map(app);
        UpdateOpening.UpdateOpeningFunction.Map(app);
        ListOpeningMatches.ListOpeningMatchesFunction.Map(app);
        SendOpening.SendOpeningFunction.Map(app);
        ListOpeningInterests.ListOpeningInterestsFunction.Map(app);
        BrowseOpenings.BrowseOpeningsFunction.Map(app);
        SendInterestNotice.SendInterestNoticeFunction.Map(app);
        AttributeRehire.AttributeRehireFunction.Map(app);
        TakeBackWrites.TakeBackWritesFunction.Map(app);
        ListRehires.ListRehiresFunction.Map(app);
    }

    /// <summary>Every options class binds its section and validates itself at start-up (a switched-off function's are unused).</summary>
    private static void AddOptions(this WebApplicationBuilder builder, FunctionAvailability availability)
    {
        BindOptions<CompanyOptions>(builder, CompanyOptions.SectionName);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CompanyOptions>, CompanyMailDomainsValidation>());
        BindOptions<WelcomeOptions>(builder, WelcomeOptions.SectionName);
        BindOptions<SignedLinkOptions>(builder, SignedLinkOptions.SectionName);
        BindOptions<DispatchOptions>(builder, DispatchOptions.SectionName);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DispatchOptions>, LeaseOutlastsRunValidation>());
        BindOptions<SendingOptions>(builder, SendingOptions.SectionName);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SendingOptions>, BatchSendTimeValidation>());
        BindOptions<SendGridOptions>(builder, SendGridOptions.SectionName);
        if (availability.IsEnabled(nameof(SendGridEvents)))
        {
            BindOptions<SendGridEventWebhookOptions>(builder, SendGridEventWebhookOptions.SectionName);
        }

        BindOptions<HrisOptions>(builder, HrisOptions.SectionName);
        BindOptions<Core.Alumni.HrisImportOptions>(builder, Core.Alumni.HrisImportOptions.SectionName);
        BindOptions<Core.Alumni.HrisClockOptions>(builder, Core.Alumni.HrisClockOptions.SectionName);
        BindOptions<OutreachOptions>(builder, OutreachOptions.SectionName);
        BindOptions<RetentionOptions>(builder, RetentionOptions.SectionName);
        BindOptions<Core.Privacy.PrivacyOptions>(builder, Core.Privacy.PrivacyOptions.SectionName);
        BindOptions<Core.Events.EventOptions>(builder, Core.Events.EventOptions.SectionName);
        BindOptions<Core.Openings.OpeningsOptions>(builder, Core.Openings.OpeningsOptions.SectionName);
        BindOptions<LocalTriggerHostOptions>(builder, LocalTriggerHostOptions.SectionName);
        BindOptions<AdminAuthOptions>(builder, AdminAuthOptions.SectionName);
        BindOptions<RateLimitOptions>(builder, RateLimitOptions.SectionName);

        // NewsletterSchedule is a top-level setting like the timers' schedules: bound from the root, checked the same way.
        builder.Services.AddOptions<Core.Newsletters.NewsletterOptions>().Bind(builder.Configuration).ValidateDataAnnotations().ValidateOnStart();
    }

    /// <summary>The Table Storage adapters behind Core's ports; tables are created on first use.</summary>
    private static void AddStorage(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<Core.Privacy.Pseudonyms>();
        services.AddSingleton<Core.Admin.IdempotentCreates>();
        services.AddSingleton(sp => new AlumniTables(
            CreateTableService(builder.Configuration), builder.Configuration["Storage:TablePrefix"] ?? "", sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton<IAlumniStore, TableAlumniStore>();
        services.AddSingleton<IWorkItemStore, TableWorkItemStore>();
        services.AddSingleton<ISendLedger, TableSendLedger>();
        services.AddSingleton<IEventWebhookHeartbeat, TableEventWebhookHeartbeat>();
        services.AddSingleton<TableConsentLedger>();
        services.AddSingleton<IConsentLedger>(sp => new ProjectedConsentLedger(sp.GetRequiredService<TableConsentLedger>(), sp.GetRequiredService<IAlumniStore>()));
        services.AddSingleton<IWebhookReceipts, TableWebhookReceipts>();
        services.AddSingleton<ISuppressionList, TableSuppressionList>();
        services.AddSingleton<IOutreachLog, TableOutreachLog>();
        services.AddSingleton<IAuditLog, TableAuditLog>();
        services.AddSingleton<IProfileStore, TableProfileStore>();
        services.AddSingleton<IEngagementCounters, TableEngagementCounters>();
        services.AddSingleton<Core.Campaigns.ICampaignStore, TableCampaignStore>();
        services.AddSingleton<TableNewsletterStore>();
        services.AddSingleton<Core.Newsletters.INewsItemStore>(sp => sp.GetRequiredService<TableNewsletterStore>());
        services.AddSingleton<Core.Newsletters.INewsletterIssueStore>(sp => sp.GetRequiredService<TableNewsletterStore>());
        services.AddSingleton<Core.Events.IEventStore, TableEventStore>();
        services.AddSingleton<Core.Openings.IOpeningStore, TableOpeningStore>();
        services.AddSingleton<Core.Rehires.IRehireStore, TableRehireStore>();
    }

    /// <summary>
    /// The dead letters of the queues the function.json files consume: Service Bus's dead-letter sub-queues when the
    /// namespace is configured (Azure, identity-based like the host's own connection), else the local trigger host's
    /// Azurite queues.
    /// </summary>
    private static void AddDeadLetters(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var scriptRoot = configuration[$"{LocalTriggerHostOptions.SectionName}:{nameof(LocalTriggerHostOptions.ScriptRoot)}"] ?? AppContext.BaseDirectory;
        builder.Services.AddSingleton(_ => new MessageQueueNames(FunctionCatalog.ServiceBusQueueNames(scriptRoot, configuration)));
        if (configuration[ServiceBusNamespaceSetting] is { Length: > 0 } serviceBus)
        {
            var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = configuration["ServiceBusConnection:clientId"] });
            builder.Services.AddSingleton(_ => new ServiceBusClient(serviceBus, credential));
            builder.Services.AddSingleton<IDeadLetters>(sp => new ServiceBusDeadLetters(sp.GetRequiredService<ServiceBusClient>(), new ServiceBusAdministrationClient(serviceBus, credential), sp.GetRequiredService<TimeProvider>()));
        }
        else if ((configuration["LocalTriggerHost:QueueConnection"] ?? configuration["Storage:ConnectionString"]) is { Length: > 0 } queues)
        {
            builder.Services.AddSingleton<IDeadLetters>(sp => new StorageQueueDeadLetters(new QueueServiceClient(queues), sp.GetRequiredService<TimeProvider>()));
        }
        else
        {
            throw new InvalidOperationException(
                $"Reading dead letters needs {ServiceBusNamespaceSetting.Replace(":", "__", StringComparison.Ordinal)} (Azure) or a storage connection string for the local queues (LocalTriggerHost__QueueConnection or Storage__ConnectionString).");
        }
    }

    /// <summary>Core's services and use cases, one per function or page.</summary>
    private static void AddUseCases(IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var hris = sp.GetRequiredService<IOptions<HrisOptions>>().Value;
            var clock = sp.GetRequiredService<IOptions<Core.Alumni.HrisClockOptions>>().Value;
            return new StandardWebhookVerifier(hris.WebhookSecrets, clock.SignatureTolerance, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<SendGridEventSignature>();
        services.AddSingleton<LinkTokenService>();
        services.AddSingleton<AlumniLinks>();
        services.AddSingleton<CompanyCalendar>();
        services.AddSingleton(sp => CompanyMailDomains.From(sp.GetRequiredService<IOptions<CompanyOptions>>().Value,
            sp.GetRequiredService<IOptions<Core.Openings.OpeningsOptions>>().Value, sp.GetRequiredService<IOptions<SendGridOptions>>().Value));
        services.AddSingleton<WelcomeSchedule>();
        services.AddSingleton<PromotionalFooter>();
        services.AddScoped<SignedLinkAccess>();
        services.AddScoped<Core.Privacy.ErasureRecheck>();
        services.AddScoped<Core.Privacy.TakeBackWrites>();
        services.AddSingleton<OutreachPolicy>();
        services.AddScoped<OutreachGate>();
        services.AddScoped<OutreachSender>();

        services.AddScoped<RecordDeparture>();
        services.AddScoped<WithdrawDeparture>();
        services.AddScoped<ReceiveHrisEvent>();
        services.AddScoped<Core.Alumni.ImportDepartures>();
        services.AddScoped<Core.Admin.AdminDepartureImport>();
        services.AddScoped<Core.Scheduling.DispatchDueWork>();
        services.AddScoped<WorkItemRunner>();
        services.AddScoped<Core.Alumni.SendWelcomeInvitation>();
        services.AddScoped<Core.Alumni.JoinNetwork>();
        services.AddScoped<ManageConsent>();
        services.AddScoped<Core.Profiles.EditProfile>();
        services.AddScoped<Core.Privacy.ExportMyData>();
        services.AddScoped<Core.Privacy.EraseMyData>();
        services.AddScoped<Core.Privacy.SendPrivacyLink>();
        services.AddScoped<ReceiveEmailEvents>();
        services.AddScoped<Core.Retention.PurgeExpiredData>();
        services.AddScoped<Core.Admin.SearchAlumni>();
        services.AddScoped<Core.Admin.GetAlumnusDetails>();
        services.AddScoped<Core.Admin.SetAlumnusFlags>();
        services.AddScoped<Core.Admin.ExportAlumniCsv>();
        services.AddScoped<Core.Admin.QueryAuditLog>();
        services.AddSingleton<Core.Campaigns.CampaignMailBuilder>();
        services.AddScoped<Core.Campaigns.CampaignEngagement>();
        services.AddScoped<Core.Campaigns.ICampaigns, Core.Campaigns.CampaignEngine>();
        services.AddScoped<Core.Campaigns.PlanCampaign>();
        services.AddSingleton<Core.Campaigns.BatchStorageBudget>();
        services.AddScoped<Core.Campaigns.SendCampaignBatch>();
        services.AddScoped<Core.Newsletters.INewsletterSection, Core.Newsletters.NewsSection>();
        services.AddScoped<Core.Newsletters.INewsletterSection, Core.Events.UpcomingEventsSection>();
        services.AddSingleton<Core.Newsletters.NewsletterSchedule>();
        services.AddScoped<Core.Newsletters.NewsletterDraft>();
        services.AddScoped<Core.Campaigns.ICampaignComposer, Core.Newsletters.NewsletterComposer>();
        services.AddScoped<Core.Newsletters.ComposeNewsletter>();
        services.AddScoped<Core.Newsletters.ManageNewsItems>();
        services.AddScoped<Core.Newsletters.SendNewsletterTest>();
        services.AddScoped<Core.Admin.ListDeadLetters>();
        services.AddScoped<Core.Admin.RedriveDeadLetters>();
        services.AddScoped<Core.Admin.ListFailedWork>();
        services.AddScoped<Core.Admin.RetryFailedWork>();

        // Events. The campaign engine (ICampaigns) renders invitations through the composer registered here.
        services.AddScoped<Core.Events.ManageEvents>();
        services.AddSingleton<RowTurns>();
        services.AddScoped<Core.Events.RespondToEvent>();
        services.AddScoped<Core.Events.SendEventMail>();
        services.AddScoped<Core.Events.StartEventInvitations>();
        services.AddScoped<Core.Events.EventAttendees>();
        services.AddScoped<Core.Events.InviteEmployees>();
        services.AddScoped<Core.Events.EventRegistrations>();
        services.AddScoped<Core.Campaigns.ICampaignComposer, Core.Events.EventInvitationComposer>();

        // Openings and rehires. A flagged match is asked of the compliance approvals (the conflict-of-interest feature).
        services.AddScoped<Core.Openings.ManageOpenings>();
        services.AddScoped<Core.Openings.BrowseOpenings>();
        services.AddScoped<Core.Openings.SendInterestNotice>();
        services.AddScoped<Core.Openings.SendApprovedOpening>();
        services.AddScoped<Core.Openings.OpeningsPersonalData>();
        services.AddScoped<Core.Campaigns.ICampaignComposer, Core.Openings.OpeningComposer>();
        services.AddScoped<Core.Newsletters.INewsletterSection, Core.Openings.OpenPositionsSection>();
        services.AddScoped<Core.Rehires.RecordHire>();
        services.AddScoped<Core.Rehires.RehireTouches>();
        services.AddScoped<Core.Rehires.AttributeRehire>();
        services.AddScoped<Core.Rehires.ListRehires>();
    }

    private static void BindOptions<T>(WebApplicationBuilder builder, string section)
        where T : class =>
        builder.Services.AddOptions<T>().Bind(builder.Configuration.GetSection(section)).ValidateDataAnnotations().ValidateOnStart();

    private static TableServiceClient CreateTableService(ConfigurationManager configuration) =>
        configuration["Storage:ConnectionString"] is { Length: > 0 } connection
            ? new TableServiceClient(connection)
            : new TableServiceClient(new Uri(configuration["Storage:TableServiceUri"]!), new DefaultAzureCredential());
}

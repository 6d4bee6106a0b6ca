using AlumniNetwork.Functions.Hosting;
using AlumniNetwork.Functions.Hosting.Security;

var builder = WebApplication.CreateBuilder(args);
if (DevelopmentAdminToken.TryPrint(args, builder.Configuration, builder.Environment))
{
    return;
}

builder.AddAlumniFunctions();
var app = builder.Build();
app.MapAlumniFunctions();
app.Run();

/// <summary>Entry point, public for the functional tests' <c>WebApplicationFactory</c>.</summary>
public partial class Program;

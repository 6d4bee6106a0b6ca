using AlumniNetwork.Functions.Hosting;
using AlumniNetwork.Functions.Hosting.Security;

var builder = WebApplication.CreateBuilder(args);
if (DevelopmentAdminToken.TryPrint(args, builder.Configuration, builder.Environment))
{
    return;
}

builder.BuildAlumniFunctions().Run();

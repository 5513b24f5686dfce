using EmotionApi.BackgroundJobs;
using EmotionApi.Datasets;
using EmotionApi.Deployment;
using EmotionApi.Hosting;
using EmotionApi.Http.Security;
using EmotionApi.Models;
using EmotionApi.Prediction;
using EmotionApi.Training;
using EmotionApi.WebPage;

var builder = WebApplication.CreateBuilder(args);

var node = builder.AddNodeRoles();  // Node:Roles: this process serves the API, runs training workers, or both
builder.AddServiceDefaults();      // options, JSON, problem details, OpenAPI, data folder, health, torch
builder.AddApiSecurity();          // (Api role) API keys and roles, rate limits
builder.AddDatasets();
builder.AddTrainingJobs();
builder.AddBackgroundJobs();       // Hangfire: storage, execution locks, recovery; (Worker role) the training workers
builder.AddModels();
builder.AddPrediction();
builder.AddWebPage();             // the page at / (its files embedded in the assembly)

var app = builder.Build();

if (node.ServesApi)
{
    app.UseServiceDefaults();
    app.MapDatasetsApi();
    app.MapTrainingJobsApi();
    app.MapPresetsApi();
    app.MapModelsApi();
    app.MapPredictionApi();
    app.MapJobsDashboard();
    app.MapWebPage();
}
else
{
    app.UseWorkerNodeDefaults();   // /health/* only: a worker never accepts uploads
}

app.Run();

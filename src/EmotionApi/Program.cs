using EmotionApi.Datasets;
using EmotionApi.Deployment;
using EmotionApi.Infrastructure;
using EmotionApi.Models;
using EmotionApi.Prediction;
using EmotionApi.Training;

var builder = WebApplication.CreateBuilder(args);

var node = builder.AddNodeRoles();  // Node:Roles: this process serves the API, runs training workers, or both
builder.AddServiceDefaults();      // options, JSON, problem details, OpenAPI, data folder, health
builder.AddDatasets();
builder.AddTrainingJobs();         // Hangfire storage, the training queue and (Worker role) its worker
builder.AddModels();
builder.AddPrediction();

var app = builder.Build();

if (node.ServesApi)
{
    app.UseServiceDefaults();
    app.MapDatasetsApi();
    app.MapTrainingJobsApi();
    app.MapModelsApi();
    app.MapPredictionApi();
}
else
{
    app.UseWorkerNodeDefaults();   // /health/* only: a worker never accepts uploads
}

app.Run();

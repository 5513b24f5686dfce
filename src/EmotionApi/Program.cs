using EmotionApi.Datasets;
using EmotionApi.Infrastructure;
using EmotionApi.Models;
using EmotionApi.Prediction;
using EmotionApi.Training;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();      // options, JSON, problem details, OpenAPI, data folder, health
builder.AddDatasets();
builder.AddTrainingJobs();         // Hangfire storage, the training queue and its worker
builder.AddModels();
builder.AddPrediction();

var app = builder.Build();

app.UseServiceDefaults();
app.MapDatasetsApi();
app.MapTrainingJobsApi();
app.MapModelsApi();
app.MapPredictionApi();

app.Run();

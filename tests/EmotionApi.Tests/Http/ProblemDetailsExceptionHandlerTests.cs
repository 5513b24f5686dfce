using EmotionApi.Http;
using EmotionApi.Shared;
using Microsoft.AspNetCore.Mvc;

namespace EmotionApi.Tests.Http;

/// <summary>The one mapping from the services' exceptions to the API's problems.</summary>
public class ProblemDetailsExceptionHandlerTests
{
    public static TheoryData<ServiceException, int> Kinds() => new()
    {
        { NotFoundException.For("Training job", "abc"), 404 },
        { new ValidationException("epochs", "Must be at least 1."), 400 },
        { new ConflictException("Dataset in use", "Job 'x' uses it."), 409 },
        { new InputRefusedException("Not a zip archive", "The uploaded file is not a zip archive."), 400 },
        { new InputTooLargeException("Upload too large", "Over 12 MB."), 413 },
        { new UnsupportedMediaTypeException("Unsupported media type", "Send JSON."), 415 },
        { new UnavailableException("Model unavailable", "Model 'm' cannot be loaded."), 500 },
        { new QuotaExceededException("Too many unfinished jobs", "The key 'ops' has 10."), 429 },
        { new InsufficientStorageException("Not enough disk space", "12 MB free."), 507 },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Each_kind_answers_its_status_with_the_exception_s_title_and_detail(ServiceException exception, int status)
    {
        var problem = ProblemDetailsExceptionHandler.ToProblem(exception);

        Assert.Equal((status, exception.Title, exception.Message), (problem.Status, problem.Title, problem.Detail));
        Assert.Equal(exception.Errors is not null, problem is ValidationProblemDetails);
    }

    [Fact]
    public void Field_errors_become_the_problem_s_errors_in_order_with_a_detail_naming_each()
    {
        var exception = new ValidationException(new Dictionary<string, string[]>
        {
            ["epochs"] = ["Must be at least 1."], ["augmentation.zoom"] = ["Must be between 0 and 1."],
        });

        var problem = Assert.IsType<ValidationProblemDetails>(ProblemDetailsExceptionHandler.ToProblem(exception));

        Assert.Equal((400, "Invalid request"), (problem.Status, problem.Title));
        Assert.Equal("One or more fields are invalid: epochs: Must be at least 1.; augmentation.zoom: Must be between 0 and 1.", problem.Detail);
        Assert.Equal(["epochs", "augmentation.zoom"], problem.Errors.Keys);
        Assert.Equal(["Must be between 0 and 1."], problem.Errors["augmentation.zoom"]);
    }

    [Fact]
    public void Every_kind_of_service_exception_has_a_status()
    {
        var kinds = typeof(ServiceException).Assembly.GetTypes()
            .Where(type => type.IsSubclassOf(typeof(ServiceException)) && !type.IsAbstract)
            .ToList();

        Assert.Equal(9, kinds.Count);
        Assert.All(kinds, kind => Assert.NotNull(ProblemDetailsExceptionHandler.StatusOf(kind)));
    }

    [Fact]
    public void Anything_else_is_a_500_that_tells_no_internals()
    {
        var problem = ProblemDetailsExceptionHandler.ToProblem(new NullReferenceException("secret internals"));

        Assert.Equal((500, "Internal error"), (problem.Status, problem.Title));
        Assert.DoesNotContain("secret", problem.Detail);
    }
}

using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Orchestration.Workflows.Durable;

namespace Orchestration.Workflows.Samples;

/// <summary>Input of <c>hello-sequence</c>: the names to greet, in order (defaults to three cities).</summary>
public sealed record HelloSequenceInput(IReadOnlyList<string>? Names) : IValidatableInput
{
    public const int MaxNames = 100;
    public const int MaxNameLength = 200;

    public static IReadOnlyList<string> DefaultNames { get; } = ["Tokyo", "Seattle", "London"];

    public IEnumerable<string> Validate()
    {
        if (Names is null)
        {
            yield break;
        }

        if (Names.Count is 0 or > MaxNames)
        {
            yield return $"names: {Names.Count} given; give 1 to {MaxNames} names, or leave names out for the default three.";
        }

        for (int i = 0; i < Names.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Names[i]) || Names[i].Length > MaxNameLength)
            {
                yield return $"names[{i}]: must be 1 to {MaxNameLength} characters.";
            }
        }
    }
}

/// <summary>Function chaining: one activity after another, each output collected in order.</summary>
public sealed class HelloSequenceOrchestrator : TaskOrchestrator<HelloSequenceInput?, IReadOnlyList<string>>
{
    public override async Task<IReadOnlyList<string>> RunAsync(TaskOrchestrationContext context, HelloSequenceInput? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        IReadOnlyList<string> names = input?.Names ?? HelloSequenceInput.DefaultNames;
        ILogger logger = context.CreateReplaySafeLogger<HelloSequenceOrchestrator>();
        var greetings = new List<string>(names.Count);
        for (int i = 0; i < names.Count; i++)
        {
            context.SetCustomStatus(new Progress("greeting", i, names.Count));
            greetings.Add(await context.CallActivityAsync<string>(nameof(SayHelloActivity), names[i], TaskDefaults.Compute));
        }

        context.SetCustomStatus(new Progress("done", names.Count, names.Count));
        Logs.SequenceCompleted(logger, context.InstanceId, greetings.Count);
        return greetings;
    }
}

/// <summary>Greets one name.</summary>
public sealed class SayHelloActivity : TaskActivity<string, string>
{
    public override Task<string> RunAsync(TaskActivityContext context, string input) =>
        Task.FromResult($"Hello, {input}!");
}

namespace Orchestration.Workflows.Durable;

/// <summary>A workflow input that can say what is wrong with it before an orchestration is started.</summary>
public interface IValidatableInput
{
    /// <summary>Returns one message per problem, each naming the field and what is allowed; empty when valid.</summary>
    IEnumerable<string> Validate();
}

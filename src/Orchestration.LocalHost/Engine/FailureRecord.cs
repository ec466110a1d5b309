using System.Text.Json;
using DurableTask.Core;
using DurableTask.Core.History;

namespace Orchestration.LocalHost.Engine;

/// <summary>
/// Carries a failed orchestration's failure details through DurableTask.AzureStorage, which stores only their
/// "Type: message" text: before the completion is written, the details are moved into the completion's result as a
/// marked JSON record, which the backend stores as the instance's output; reading turns it back into failure details
/// (with stack trace and inner failures). Outputs written by older versions ("Type: message") are parsed as well.
/// </summary>
internal static class FailureRecord
{
    const string Marker = "#orchestration-failure#";

    sealed record Failure(string ErrorType, string ErrorMessage, string? StackTrace, Failure? Inner, bool NonRetriable);

    /// <summary>
    /// Replaces a failed completion among the state's new events by one whose result carries the failure record (the
    /// event's own properties are read-only). The sidecar puts the details on the orchestration state it completes with,
    /// not on the event. Both the full event list and the new-event list hold the event.
    /// </summary>
    public static void Stash(OrchestrationRuntimeState state, FailureDetails? stateDetails)
    {
        for (int i = 0; i < state.NewEvents.Count; i++)
        {
            if (state.NewEvents[i] is ExecutionCompletedEvent { OrchestrationStatus: OrchestrationStatus.Failed } completed
                && (completed.FailureDetails ?? stateDetails) is { } details)
            {
                var replacement = new ExecutionCompletedEvent(completed.EventId, Marker + JsonSerializer.Serialize(From(details)), completed.OrchestrationStatus)
                {
                    Timestamp = completed.Timestamp,
                    IsPlayed = completed.IsPlayed,
                };
                state.NewEvents[i] = replacement;
                int index = state.Events.IndexOf(completed);
                if (index >= 0)
                {
                    state.Events[index] = replacement;
                }
            }
        }
    }

    public static FailureDetails? TryRead(string? output)
    {
        if (string.IsNullOrEmpty(output))
        {
            return null;
        }

        if (output.StartsWith(Marker, StringComparison.Ordinal))
        {
            try
            {
                return JsonSerializer.Deserialize<Failure>(output.AsSpan(Marker.Length)) is { } failure ? To(failure) : null;
            }
            catch (JsonException)
            {
                return new FailureDetails("Unknown", output, stackTrace: null, innerFailure: null, isNonRetriable: false);
            }
        }

        int separator = output.IndexOf(": ", StringComparison.Ordinal);
        return separator > 0 && !output.AsSpan(0, separator).ContainsAny(" \n\r\t\"{")
            ? new FailureDetails(output[..separator], output[(separator + 2)..], stackTrace: null, innerFailure: null, isNonRetriable: false)
            : new FailureDetails("Unknown", output, stackTrace: null, innerFailure: null, isNonRetriable: false);
    }

    static Failure From(FailureDetails d) =>
        new(d.ErrorType, d.ErrorMessage, d.StackTrace, d.InnerFailure is null ? null : From(d.InnerFailure), d.IsNonRetriable);

    static FailureDetails To(Failure f) =>
        new(f.ErrorType, f.ErrorMessage, f.StackTrace, f.Inner is null ? null : To(f.Inner), f.NonRetriable);
}

/// The error a `WorkerThread` met, written by that thread and read by another once it has been joined
/// (the join orders the two).
final class ThreadFailure: @unchecked Sendable {
    var error: HarnessAuditError?
}

/// Remembers the answers of an expensive function of a string for one run (paths, commands and
/// hosts repeat across the findings and actions of a fleet). Keys compare byte for byte
/// (`ExactText`). Bounded: it starts over when full, so memory stays flat.
final class BoundedMemo<Value> {
    private var answers: [ExactText: Value] = [:]
    private let capacity: Int

    init(capacity: Int = 100_000) { self.capacity = capacity }

    func value(for key: String, compute: (String) -> Value) -> Value {
        let exact = ExactText(key)
        if let known = answers[exact] { return known }
        let answer = compute(key)
        if answers.count >= capacity { answers.removeAll(keepingCapacity: true) }
        answers[exact] = answer
        return answer
    }
}

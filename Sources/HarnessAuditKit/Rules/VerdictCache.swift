/// Remembers the answers of an expensive string function for one check (paths repeat across the
/// actions of a fleet). Bounded: it starts over when full, so memory stays flat.
final class VerdictCache {
    private var answers: [ExactText: String?] = [:]
    private let capacity: Int

    init(capacity: Int = 200_000) { self.capacity = capacity }

    func value(for key: String, compute: (String) -> String?) -> String? {
        let exact = ExactText(key)
        if let known = answers[exact] { return known }
        let answer = compute(key)
        if answers.count >= capacity { answers.removeAll(keepingCapacity: true) }
        answers[exact] = answer
        return answer
    }
}

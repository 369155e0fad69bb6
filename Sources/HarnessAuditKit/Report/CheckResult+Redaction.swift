extension Finding {
    /// The finding with every text taken from logs passed through the redactor.
    public func redacted(_ redactor: Redactor) -> Finding {
        redacted(RedactionMemo(redactor))
    }

    func redacted(_ redactor: RedactionMemo) -> Finding {
        guard redactor.enabled else { return self }
        var copy = self
        copy.reason = redactor.redact(reason)
        copy.command = redactor.redact(command)
        copy.target = redactor.redact(target)
        copy.targets = targets.map { redactor.redact($0) }
        copy.commandFamilies = commandFamilies.map { redactor.redact($0) }
        // Details read `class: why`; the class name is ours, only the explanation comes from logs.
        copy.details = details.map { detail in
            guard let colon = detail.range(ofASCII: ": ") else { return redactor.redact(detail) }
            return String(detail[..<colon.upperBound]) + redactor.redact(String(detail[colon.upperBound...]))
        }
        copy.properties = properties.map { ($0.0, redactor.redact($0.1)) }
        copy.session = redactor.redact(session)
        copy.agent = redactor.redact(agent)
        copy.actor = redactor.redact(actor)
        copy.principal = redactor.redact(principal)
        copy.host = redactor.redact(host)
        copy.repo = redactor.redact(repo)
        copy.evidence = evidence.map { item in
            var item = item
            item.file = redactor.redact(item.file)
            return item
        }
        return copy
    }
}

extension CheckResult {
    /// The result with every finding redacted (DESIGN §6: secrets never reach an output in clear text).
    public func redacted(_ redactor: Redactor) -> CheckResult {
        var copy = self
        copy.redact(redactor)
        return copy
    }

    /// Redacts every finding in place: a check's findings may be many, and a redacted copy beside them
    /// would double their memory.
    public mutating func redact(_ redactor: Redactor) {
        guard redactor.enabled else { return }
        // Findings repeat the same commands, paths, hosts and people: each distinct text is scanned once.
        let memo = RedactionMemo(redactor)
        for index in findings.indices { findings[index] = findings[index].redacted(memo) }
        for index in waived.indices { waived[index] = waived[index].redacted(memo) }
        for index in authorized.indices { authorized[index] = authorized[index].redacted(memo) }
    }
}

/// A redactor that remembers what it has already redacted, for one output.
final class RedactionMemo {
    let redactor: Redactor
    private let done = BoundedMemo<String>()

    init(_ redactor: Redactor) { self.redactor = redactor }

    var enabled: Bool { redactor.enabled }

    func redact(_ text: String) -> String { done.value(for: text) { redactor.redact($0) } }

    func redact(_ text: String?) -> String? { text.map { redact($0) } }
}

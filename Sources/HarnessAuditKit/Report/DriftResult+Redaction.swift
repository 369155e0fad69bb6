extension DriftResult {
    /// The result with secrets in findings, capability values and the scopes' names masked (`--no-redact` skips this).
    public func redacted(_ redactor: Redactor) -> DriftResult {
        guard redactor.enabled else { return self }
        var copy = self
        copy.result = result.redacted(redactor)
        func clean(_ uses: [Use]) -> [Use] {
            uses.map { use in
                var use = use
                use.capability.value = redactor.redact(use.capability.value)
                use.firstSessions = use.firstSessions.map { redactor.redact($0) }
                return use
            }
        }
        for index in copy.scopes.indices {
            // The scope's names too: a repository URL with a token in it, a working directory, a principal that is a key.
            copy.scopes[index].scope.agent = redactor.redact(copy.scopes[index].scope.agent)
            copy.scopes[index].scope.repo = redactor.redact(copy.scopes[index].scope.repo)
            copy.scopes[index].scope.principal = redactor.redact(copy.scopes[index].scope.principal)
            copy.scopes[index].new = clean(copy.scopes[index].new)
            copy.scopes[index].outside = clean(copy.scopes[index].outside)
            copy.scopes[index].vanished = clean(copy.scopes[index].vanished)
        }
        return copy
    }
}

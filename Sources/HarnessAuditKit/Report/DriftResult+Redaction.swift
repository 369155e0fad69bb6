extension DriftResult {
    /// The result with secrets in findings and capability values masked (`--no-redact` skips this).
    public func redacted(_ redactor: Redactor) -> DriftResult {
        guard redactor.enabled else { return self }
        var copy = self
        copy.result = result.redacted(redactor)
        func clean(_ uses: [Use]) -> [Use] {
            uses.map { use in
                var use = use
                use.capability.value = redactor.redact(use.capability.value)
                return use
            }
        }
        for index in copy.scopes.indices {
            copy.scopes[index].new = clean(copy.scopes[index].new)
            copy.scopes[index].outside = clean(copy.scopes[index].outside)
            copy.scopes[index].vanished = clean(copy.scopes[index].vanished)
        }
        return copy
    }
}

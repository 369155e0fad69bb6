extension StoreStatistics {
    /// The statistics with secrets masked in every text a log supplied: file paths, harness names, rejection details.
    public func redacted(_ redactor: Redactor) -> StoreStatistics {
        var copy = self
        for index in copy.sources.indices {
            copy.sources[index].path = redactor.redact(copy.sources[index].path)
            copy.sources[index].problem = redactor.redact(copy.sources[index].problem)
        }
        for index in copy.rejections.indices {
            copy.rejections[index].path = redactor.redact(copy.rejections[index].path)
            copy.rejections[index].reason = redactor.redact(copy.rejections[index].reason)
            copy.rejections[index].detail = redactor.redact(copy.rejections[index].detail)
        }
        func masked(_ counts: [Count]) -> [Count] {
            counts.map { Count(name: redactor.redact($0.name), count: $0.count) }
        }
        copy.eventsByAgent = masked(copy.eventsByAgent)
        copy.rejectedByReason = masked(copy.rejectedByReason)
        return copy
    }
}

/// Renders `drift --format json`: the envelope of `check --format json` (schemaVersion,
/// summary, findings, waived, authorized) with a `drift` member: the periods, the tracking
/// period and each scope's new, outside-the-baseline and vanished capabilities.
public enum DriftJSONRenderer {
    public static func render(_ drift: DriftResult, options: FindingsRenderOptions) -> String {
        FindingsJSONRenderer.render(drift.result, options: options) { w in
            w.key("drift")
            w.beginObject()
            period("period", drift.current, &w)
            period("against", drift.previous, &w)
            w.key("tracking")
            w.beginObject()
            w.field("days", drift.trackingDays)
            w.field("since", Timestamp.format(drift.trackingSince))
            w.field("until", Timestamp.format(drift.trackingUntil))
            w.endObject()
            w.field("actions", drift.currentActions)
            w.field("previousActions", drift.previousActions)
            w.key("scopes")
            w.beginArray()
            for changes in drift.scopes {
                w.beginObject()
                w.field("agent", changes.scope.agent.nonEmpty)
                w.field("repo", changes.scope.repo.nonEmpty)
                w.field("principal", changes.scope.principal.nonEmpty)
                w.field("firstActive", changes.firstActive)
                w.field("kept", changes.kept)
                for (name, uses) in [("new", changes.new), ("outsideBaseline", changes.outside), ("vanished", changes.vanished)] {
                    w.key(name)
                    w.beginArray()
                    for use in uses { write(use, &w) }
                    w.endArray()
                }
                w.endObject()
            }
            w.endArray()
            w.endObject()
        }
    }

    static func period(_ name: String, _ period: ReportPeriod, _ w: inout JSONWriter) {
        w.key(name)
        w.beginObject()
        w.field("title", period.title)
        w.field("since", Timestamp.format(period.since))
        w.field("until", Timestamp.format(period.until))
        w.endObject()
    }

    static func write(_ use: DriftResult.Use, _ w: inout JSONWriter) {
        w.beginObject()
        w.field("kind", use.capability.kind.rawValue)
        w.field("value", use.capability.value)
        w.field("actions", use.actions)
        w.field("flaggedActions", use.flaggedActions)
        w.field("sessions", use.sessions)
        w.field("firstSessions", strings: use.firstSessions)
        w.field("first", use.firstTs.map(Timestamp.format))
        w.field("last", use.lastTs.map(Timestamp.format))
        w.field("finding", use.findingID)
        w.field("covered", use.covered)
        w.field("coveredBy", use.coveredBy)
        w.endObject()
    }
}

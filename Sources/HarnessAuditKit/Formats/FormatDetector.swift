/// Decides the format of one parsed line (DESIGN §2: detection is per line, so one file
/// may mix formats). The checks follow `reference/log-formats.md` §6 and look only at
/// distinguishing keys, so unknown extra keys never change the answer.
public enum FormatDetector {
    static let rolloutTypes: Set<String> = ["session_meta", "turn_context", "response_item", "event_msg", "compacted"]
    static let transcriptTypes: Set<String> = [
        "user", "assistant", "system", "summary", "attachment", "file-history-snapshot", "queue-operation",
        "ai-title", "progress", "result",
    ]

    public static func detect(_ root: JSONValue) -> LogFormat? {
        guard root.isObject else { return nil }
        if let schema = root["schema"]?.string, schema.hasPrefix("harness-v1") { return .harnessV1 }
        if root["resourceLogs"] != nil { return .otlpLogs }
        if let kind = root["kind"], let api = root["apiVersion"]?.string, api.hasPrefix("audit.k8s.io/"),
           kind.isString("Event") || kind.isString("EventList") {
            return .k8sAudit
        }
        if root["hook_event_name"] != nil { return .claudeHook }
        if let type = root["type"]?.string {
            if root["payload"] != nil, rolloutTypes.contains(type) { return .codexRollout }
            // Rollout item types added after the ones listed (`world_state`, `inter_agent_communication`): the envelope
            // `{timestamp, type, payload}` all the same, kept as an item of the file's session.
            if root["payload"] != nil, root["timestamp"]?.string != nil, root["sessionId"] == nil,
               !transcriptTypes.contains(type) {
                return .codexRollout
            }
            if transcriptTypes.contains(type),
               root["sessionId"] != nil || root["uuid"] != nil || root["leafUuid"] != nil || root["message"] != nil
                || type == "summary" || type == "file-history-snapshot" {
                return .claudeTranscript
            }
        }
        if root["sessionId"] != nil, root["parentUuid"] != nil || root["uuid"] != nil { return .claudeTranscript }
        // Entry types added after the ones listed (`custom-title`, `permission-mode`, `last-prompt`, `pr-link`, `tag`,
        // `agent-name`): a transcript's line all the same, kept as an entry of its session.
        if root["sessionId"]?.string != nil, root["type"]?.string != nil, root["payload"] == nil { return .claudeTranscript }
        return nil
    }
}

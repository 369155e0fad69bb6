import Foundation
import Testing
@testable import HarnessAuditKit

@Suite("Pipeline queue")
struct BlockingQueueTests {
    /// A flag another thread sets.
    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        var isSet: Bool { lock.withLock { value } }
        func set() { lock.withLock { value = true } }
    }

    @Test("light messages pass a queue full of batches; a batch waits for room; order is kept", .timeLimit(.minutes(1)))
    func lightMessagesDoNotCount() {
        // Negative numbers are light (control messages), positive ones heavy (batches).
        let queue = BlockingQueue<Int>(capacity: 2, isLight: { $0 < 0 })
        queue.push(1)
        queue.push(2)
        for light in 1...10 { queue.push(-light) }  // would block forever if light messages counted
        let pushed = Flag()
        let producer = WorkerThread {
            queue.push(3)
            pushed.set()
        }
        usleep(100_000)
        #expect(!pushed.isSet, "a third batch must wait while two are queued")
        #expect(queue.pop() == 1)
        producer.join()
        #expect(pushed.isSet)
        var rest: [Int] = []
        queue.close()
        while let value = queue.pop() { rest.append(value) }
        #expect(rest == [2, -1, -2, -3, -4, -5, -6, -7, -8, -9, -10, 3])
    }

    @Test("light messages are bounded too: at most capacity × lightFactor in all", .timeLimit(.minutes(1)))
    func lightMessagesBounded() {
        let queue = BlockingQueue<Int>(capacity: 1, isLight: { $0 < 0 })
        let limit = BlockingQueue<Int>.lightFactor
        for light in 1...limit { queue.push(-light) }
        let pushed = Flag()
        let producer = WorkerThread {
            queue.push(-999)
            pushed.set()
        }
        usleep(100_000)
        #expect(!pushed.isSet, "the ring is full")
        #expect(queue.pop() == -1)
        producer.join()
        #expect(pushed.isSet)
    }
}

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

    @Test("the plan-ahead budget: room waits for a release, a larger item goes alone, close refuses", .timeLimit(.minutes(1)))
    func byteBudget() {
        let budget = ByteBudget(limit: 100)
        #expect(budget.acquire(60))
        #expect(budget.acquire(40))
        let acquired = Flag()
        let waiter = WorkerThread {
            if budget.acquire(1) { acquired.set() }
        }
        usleep(100_000)
        #expect(!acquired.isSet, "100 of 100 bytes are in flight")
        budget.release(60)
        waiter.join()
        #expect(acquired.isSet)
        budget.release(40)
        budget.release(1)
        // Nothing in flight: an item larger than the limit still goes, and then nothing goes beside it.
        #expect(budget.acquire(1_000))
        let refused = Flag()
        let late = WorkerThread {
            if !budget.acquire(1) { refused.set() }
        }
        usleep(100_000)
        budget.close()
        late.join()
        #expect(refused.isSet)
    }
}

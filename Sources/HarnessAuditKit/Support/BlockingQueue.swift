#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A bounded first-in first-out queue between pipeline threads. `push` blocks while the
/// queue is full (that is what keeps memory flat on any input size); `pop` blocks while
/// it is empty and returns nil once the queue is closed and drained. Light elements (small
/// control messages) do not count against `capacity`; the queue holds at most
/// `lightFactor` times as many elements in all.
final class BlockingQueue<Element>: @unchecked Sendable {
    private var items: [(element: Element, light: Bool)?] = []
    private var head = 0
    private var count = 0
    private var heavy = 0
    private var closed = false
    private let capacity: Int
    private let isLight: (Element) -> Bool
    private var mutex = pthread_mutex_t()
    private var notEmpty = pthread_cond_t()
    private var notFull = pthread_cond_t()
    static var lightFactor: Int { 16 }

    init(capacity: Int, isLight: @escaping (Element) -> Bool = { _ in false }) {
        self.capacity = max(capacity, 1)
        self.isLight = isLight
        items = Array(repeating: nil, count: self.capacity * BlockingQueue.lightFactor)
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&notEmpty, nil)
        pthread_cond_init(&notFull, nil)
    }

    deinit {
        pthread_cond_destroy(&notFull)
        pthread_cond_destroy(&notEmpty)
        pthread_mutex_destroy(&mutex)
    }

    /// Adds an element; returns false (dropping it) when the queue was closed.
    @discardableResult
    func push(_ element: Element) -> Bool {
        let light = isLight(element)
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        while (count == items.count || (!light && heavy == capacity)) && !closed { pthread_cond_wait(&notFull, &mutex) }
        if closed { return false }
        items[(head + count) % items.count] = (element, light)
        count += 1
        if !light { heavy += 1 }
        pthread_cond_signal(&notEmpty)
        return true
    }

    func pop() -> Element? {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        while count == 0 && !closed { pthread_cond_wait(&notEmpty, &mutex) }
        guard count > 0, let entry = items[head] else { return nil }
        items[head] = nil
        head = (head + 1) % items.count
        count -= 1
        if !entry.light { heavy -= 1 }
        pthread_cond_signal(&notFull)
        return entry.element
    }

    /// No more elements will be pushed; waiting consumers drain what is left.
    func close() {
        pthread_mutex_lock(&mutex)
        closed = true
        pthread_cond_broadcast(&notEmpty)
        pthread_cond_broadcast(&notFull)
        pthread_mutex_unlock(&mutex)
    }
}

/// Runs a closure on a new POSIX thread with a large stack, and joins it.
final class WorkerThread: @unchecked Sendable {
    private var thread = pthread_t()
    private let body: () -> Void

    init(stackBytes: Int = 8 << 20, _ body: @escaping () -> Void) {
        self.body = body
        // Allocated, not `pthread_attr_t()`: that initializer's visibility depends on which module
        // (Glibc, or a C module that includes <pthread.h> such as Yams' CYaml) the importer saw first.
        let attributes = UnsafeMutablePointer<pthread_attr_t>.allocate(capacity: 1)
        defer { attributes.deallocate() }
        pthread_attr_init(attributes)
        pthread_attr_setstacksize(attributes, stackBytes)
        let context = Unmanaged.passRetained(self).toOpaque()
        #if canImport(Glibc)
        let status = pthread_create(&thread, attributes, { context in
            let worker = Unmanaged<WorkerThread>.fromOpaque(context!).takeRetainedValue()
            worker.body()
            return nil
        }, context)
        #else
        let status = pthread_create(&thread, attributes, { context in
            let worker = Unmanaged<WorkerThread>.fromOpaque(context).takeRetainedValue()
            worker.body()
            return nil
        }, context)
        #endif
        pthread_attr_destroy(attributes)
        precondition(status == 0, "cannot start a thread")
    }

    func join() {
        pthread_join(thread, nil)
    }
}

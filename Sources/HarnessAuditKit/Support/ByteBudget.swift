#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bytes in flight between two threads, bounded: `acquire` waits while taking `bytes` would pass
/// the limit, except when nothing is in flight (one item larger than the limit still goes, alone).
final class ByteBudget: @unchecked Sendable {
    let limit: Int64
    private var inFlight: Int64 = 0
    private var closed = false
    private var mutex = pthread_mutex_t()
    private var released = pthread_cond_t()

    init(limit: Int64) {
        self.limit = limit
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&released, nil)
    }

    deinit {
        pthread_cond_destroy(&released)
        pthread_mutex_destroy(&mutex)
    }

    /// Takes `bytes`, waiting for room; false once the budget was closed (the consumer stopped).
    func acquire(_ bytes: Int64) -> Bool {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        while inFlight > 0 && inFlight + bytes > limit && !closed { pthread_cond_wait(&released, &mutex) }
        if closed { return false }
        inFlight += bytes
        return true
    }

    func release(_ bytes: Int64) {
        pthread_mutex_lock(&mutex)
        inFlight -= bytes
        pthread_cond_broadcast(&released)
        pthread_mutex_unlock(&mutex)
    }

    var isClosed: Bool {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return closed
    }

    /// Wakes and refuses every waiting and later `acquire`.
    func close() {
        pthread_mutex_lock(&mutex)
        closed = true
        pthread_cond_broadcast(&released)
        pthread_mutex_unlock(&mutex)
    }
}

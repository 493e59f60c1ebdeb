import Dispatch
import Foundation
import SecretStore

/// Fills a store with secrets through its public API only, as fast as the machine allows: setup for the
/// rotation scenarios, timed and reported on its own but never part of a ratio.
///
/// Every create is its own transaction with a full sync, so one thread spends most of its time waiting on
/// the disk; several threads overlap the encryption of one secret with the commit of another.
enum Population {
    /// Creates fixtures `0..<count` in `store` from `threads` threads, each taking every `threads`-th index.
    static func fill(_ store: SecretStore, with fixtures: SecretFixtures, count: Int, threads: Int) throws -> Measurement {
        let failures = FirstFailure()
        let measurement = Measurement.time(
            "setup: create \(count) (\(threads) thread\(threads == 1 ? "" : "s"))", operations: count
        ) {
            DispatchQueue.concurrentPerform(iterations: threads) { worker in
                for index in stride(from: worker, to: count, by: threads) where !failures.happened {
                    do {
                        try store.createSecret(fixtures.references[index], value: fixtures.values[index])
                    } catch {
                        failures.record(error)
                    }
                }
            }
        }
        if let error = failures.first { throw error }
        return measurement
    }
}

/// The first error any worker thread hit, so the others can stop early and the caller can rethrow it.
private final class FirstFailure: @unchecked Sendable {
    private let lock = NSLock()
    private var error: (any Error)?

    var first: (any Error)? { lock.withLock { error } }
    var happened: Bool { first != nil }

    func record(_ newError: any Error) {
        lock.withLock { if error == nil { error = newError } }
    }
}

import Dispatch
import Optimizer
import Synchronization

/// One suggestion computed on a Dispatch worker thread, off the sweep's polling loop.
///
/// The sampler is a value: the job runs on a copy and hands back the copy it advanced, which
/// the runner adopts when it takes the result. A Gaussian-process fit can take seconds at a few
/// thousand observations; meanwhile the loop keeps polling trials, enforcing timeouts and
/// answering stop requests. Work that is no longer wanted (the sweep ended) finishes unseen.
final class SuggestionJob: Sendable {
    /// The sampler's trial index being proposed.
    let proposal: Int
    private let outcome = Mutex<(sampler: any Sampler, result: Result<Suggestion?, any Error>)?>(nil)

    private init(proposal: Int) {
        self.proposal = proposal
    }

    /// Starts computing proposal `proposal` from `history`; signals `wakeup` when done.
    static func launch(sampler: any Sampler, history: SamplerHistory, proposal: Int, wakeup: Wakeup) -> SuggestionJob {
        let job = SuggestionJob(proposal: proposal)
        DispatchQueue.global(qos: .userInitiated).async {
            var copy = sampler
            let result = Result { try copy.suggestion(history: history, trialIndex: proposal) }
            job.outcome.withLock { $0 = (copy, result) }
            wakeup.signal()
        }
        return job
    }

    /// The advanced sampler and its result, once ready (`nil` while computing).
    func take() -> (any Sampler, Result<Suggestion?, any Error>)? {
        outcome.withLock { $0.map { ($0.sampler, $0.result) } }
    }
}

/// Lets the polling loop sleep until its next poll or until work it waits for is ready,
/// whichever comes first. Not cut short by task cancellation: the loop must keep polling while
/// cancelled trials drain.
final class Wakeup: Sendable {
    private struct State {
        var signalled = false
        var waiter: CheckedContinuation<Void, Never>?
        var generation = 0
    }

    private let state = Mutex(State())

    /// Returns after `timeout` seconds, or at once if ``signal()`` was called since the last wait.
    func wait(timeout: Double) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let generation: Int? = state.withLock { s in
                if s.signalled {
                    s.signalled = false
                    return nil
                }
                s.generation += 1
                s.waiter = continuation
                return s.generation
            }
            guard let generation else {
                continuation.resume()
                return
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [self] in
                let waiter: CheckedContinuation<Void, Never>? = state.withLock { s in
                    guard s.generation == generation, let w = s.waiter else { return nil }
                    s.waiter = nil
                    return w
                }
                waiter?.resume()
            }
        }
    }

    /// Ends the current wait now, or makes the next one return at once.
    func signal() {
        let waiter: CheckedContinuation<Void, Never>? = state.withLock { s in
            if let w = s.waiter {
                s.waiter = nil
                return w
            }
            s.signalled = true
            return nil
        }
        waiter?.resume()
    }
}

import LogfoldTestSupport
import ServiceLifecycleTestKit
import Testing

@testable import LogfoldSandbox

/// The holds are an hour long on a clock the tests move by hand: whether a hold ignored the shutdown is
/// told by how far the clock had to move, never by the wall clock.
@Suite(.timeLimit(.minutes(5))) struct TimeoutFaultHoldTests {
    @Test("a held request ends at once when the graceful shutdown came before it, the clock unmoved")
    func shutdownBeforeTheHold() async {
        let clock = ManualClock()
        await testGracefulShutdown { trigger in
            trigger.triggerGracefulShutdown()
            await SandboxResponder.hold(for: .seconds(3_600), on: clock.sandboxClock)
            #expect(clock.elapsed == .zero)
        }
    }

    @Test("a held request ends at the hold's next look after a graceful shutdown that comes while it is held")
    func shutdownDuringTheHold() async {
        let clock = ManualClock()
        await testGracefulShutdown { trigger in
            async let held: Void = SandboxResponder.hold(for: .seconds(3_600), on: clock.sandboxClock)
            await clock.waitForSleeper()
            clock.advance(milliseconds: 300)
            await clock.waitForSleeper()
            trigger.triggerGracefulShutdown()
            clock.advance(milliseconds: 100)
            await held
            #expect(clock.elapsed == .milliseconds(400))
        }
    }

    @Test("without a shutdown the hold lasts its duration on the clock, and no longer")
    func fullHold() async {
        let clock = ManualClock()
        let held = Task { await SandboxResponder.hold(for: .milliseconds(250), on: clock.sandboxClock) }
        for _ in 0..<2 {
            await clock.waitForSleeper()
            clock.advance(milliseconds: 100)
        }
        await clock.waitForSleeper()
        #expect(clock.elapsed == .milliseconds(200), "the hold ended early")
        clock.advance(milliseconds: 50)
        await held.value
        #expect(clock.sleepers == 0)
    }
}

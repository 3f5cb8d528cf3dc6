import ServiceLifecycleTestKit
import Testing

@testable import LogfoldSandbox

/// The holds are an hour long and the bounds minutes wide: a hold that ignored the shutdown would be
/// told apart on any machine, however loaded, and a loaded one does not fail a working hold.
@Suite(.timeLimit(.minutes(5))) struct TimeoutFaultHoldTests {
    let clock = ContinuousClock()

    @Test("a held request ends at once when the graceful shutdown came before it")
    func shutdownBeforeTheHold() async {
        await testGracefulShutdown { trigger in
            trigger.triggerGracefulShutdown()
            let start = clock.now
            await SandboxResponder.hold(for: .seconds(3_600))
            #expect(clock.now - start < .seconds(180))
        }
    }

    @Test("a held request ends soon after a graceful shutdown that comes while it is held")
    func shutdownDuringTheHold() async {
        await testGracefulShutdown { trigger in
            let start = clock.now
            async let held: Void = SandboxResponder.hold(for: .seconds(3_600))
            try? await Task.sleep(for: .milliseconds(300))
            trigger.triggerGracefulShutdown()
            await held
            let elapsed = clock.now - start
            #expect(elapsed >= .milliseconds(300) && elapsed < .seconds(180))
        }
    }

    @Test("without a shutdown the hold lasts its duration")
    func fullHold() async {
        let start = clock.now
        await SandboxResponder.hold(for: .milliseconds(250))
        #expect(clock.now - start >= .milliseconds(250))
    }
}

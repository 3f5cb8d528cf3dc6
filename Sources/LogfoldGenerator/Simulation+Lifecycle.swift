/// Customer life beyond orders: cancelling, coming back, going on hold, dying off, email consent and
/// referral credits.
extension Simulation {
    /// Writes `cancelled`: Stopped with a cancel date and a reason, and cancels an unbilled order.
    ///
    /// One in five comes back later; one in four of the rest is marked dead months later.
    mutating func cancelAccount(_ c: Int) {
        var openOrder = -1
        let current = customers[c].cycleOrder
        if current >= 0, orders[current].status == .open {
            openOrder = current
            orders[current].status = .cancelled
        }
        customers[c].status = .stopped
        customers[c].cancelDay = today
        stopPlans(c)
        begin(.cancelled)
        writeCustomer(c)
        data("reason", quoted: rng.pick(Phrases.cancelReasons))
        if rng.below(100) < 35 { data("comment", quoted: rng.pick(Phrases.cancelMessages)) }
        end()
        if openOrder >= 0 { emitOrderCancelled(c, order: openOrder, reason: "account_cancelled", by: "customer") }
        planStoppedFate(c)
    }

    /// Whether a stopped customer later comes back (a visit that reactivates) or is marked dead.
    private mutating func planStoppedFate(_ c: Int) {
        let r = rng.below(100)
        if r < 20 {
            queue.push(
                visitTime(meanDays: 60), .session, customer: c, ref: SessionIntent.reactivate.rawValue,
                epoch: customers[c].epoch
            )
        } else if r < 40 {
            queue.push(
                now + Int64(90 * 86_400 + rng.below(150 * 86_400)), .stoppedFate, customer: c,
                epoch: customers[c].epoch
            )
        }
    }

    /// Forgets the planned work of the current status: no next delivery, no planned order creation.
    private mutating func stopPlans(_ c: Int) {
        customers[c].epoch &+= 1
        customers[c].cycleToken &+= 1
        customers[c].cycleOrder = -1
        customers[c].nextDelivery = -1
        customers[c].naturalNextDelivery = -1
        customers[c].scheduleModified = false
    }

    /// Back to Active (from Stopped or On Hold): a first delivery at least four days out, planned.
    mutating func resume(_ c: Int, reason: StaticString) {
        let old = customers[c].status
        customers[c].status = .active
        customers[c].cancelDay = -1
        stopPlans(c)
        let first = firstDay(onOrAfter: today + 4, weekday: customers[c].deliveryWeekday)
        customers[c].nextDelivery = first
        customers[c].naturalNextDelivery = first
        emitStatusChange(c, from: old, reason: reason)
        scheduleOrderCreation(c)
    }

    /// Closes the account for good: `status.changed` to Dead; an unbilled order is cancelled first.
    mutating func markDead(_ c: Int, reason: StaticString) {
        let current = customers[c].cycleOrder
        if current >= 0, orders[current].status == .open {
            orders[current].status = .cancelled
            emitOrderCancelled(c, order: current, reason: "account_closed", by: "system")
        }
        let old = customers[c].status
        customers[c].status = .dead
        stopPlans(c)
        emitStatusChange(c, from: old, reason: reason)
    }

    /// On Hold for weeks without a new card: Stopped (three in four) or Dead.
    mutating func holdExpiry(_ c: Int, epoch: UInt32) {
        guard customers[c].epoch == epoch, customers[c].status == .onHold else { return }
        if rng.below(100) < 75 {
            customers[c].status = .stopped
            customers[c].cancelDay = today
            stopPlans(c)
            emitStatusChange(c, from: .onHold, reason: "payment_not_updated")
            planStoppedFate(c)
        } else {
            markDead(c, reason: "payment_not_updated")
        }
    }

    /// A stopped customer long inactive is marked dead, unless they came back meanwhile.
    mutating func stoppedFate(_ c: Int, epoch: UInt32) {
        guard customers[c].epoch == epoch, customers[c].status == .stopped else { return }
        markDead(c, reason: "inactive")
    }

    /// Email consent outside visits: unsubscribes from an email's link, re-subscribes in the preference
    /// center; checked every few weeks.
    mutating func mailbox(_ c: Int) {
        guard customers[c].status != .dead else { return }
        if customers[c].subscribed {
            if rng.below(1_000) < 70 {
                customers[c].subscribed = false
                let source = rng.below(Phrases.unsubscribeSources.count)
                begin(.emailUnsubscribed)
                writeCustomer(c)
                data("source", quoted: Phrases.unsubscribeSources[source])
                if source < 3 { data("campaign", quoted: rng.pick(Phrases.campaigns)) }
                end()
            }
        } else if rng.below(1_000) < 60 {
            customers[c].subscribed = true
            begin(.emailSubscribed)
            writeCustomer(c)
            data("source", quoted: rng.pick(Phrases.subscribeSources))
            end()
        }
        queue.push(now + Int64(15 * 86_400 + rng.below(45 * 86_400)), .mailbox, customer: c)
    }

    /// `referral.credit` on the referrer's account when the friend's first order is billed.
    mutating func referralCredit(referrer r: Int, referred: Int) {
        guard customers[r].status != .dead else { return }
        customers[r].creditCents += 1_500
        begin(.referralCredit)
        writeCustomer(r)
        data("amount", money: 1_500)
        data("balance", money: customers[r].creditCents)
        data("referred_customer_id", id: customers[referred].number)
        end()
    }
}

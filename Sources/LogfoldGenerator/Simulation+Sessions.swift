/// Visits: a login (by cookie, password, magic link; sometimes a failed link or a password reset
/// first), a few actions minutes apart, sometimes a logout. Every step is its own agenda item, so
/// the entries of a visit interleave with everyone else's in time order.
extension Simulation {
    private static let pendingLoginFlag: UInt32 = 1 << 8
    private static let passwordLoginFlag: UInt32 = 1 << 9
    private static let logoutFlag: UInt32 = 1 << 10

    /// Mean days between regular visits by status.
    private func meanDaysBetweenVisits(_ status: CustomerRecord.Status) -> Double {
        switch status {
        case .prospect: 21
        case .active: 1.6
        case .onHold: 3
        case .stopped: 30
        case .dead: 365
        }
    }

    /// A visit starts: plans the next regular visit, logs in, and plans the visit's steps.
    mutating func session(_ c: Int, intent: SessionIntent, epoch: UInt32) {
        let status = customers[c].status
        guard status != .dead else { return }
        var actions: Int
        switch intent {
        case .browse:
            // Prospects who never signed up and stopped customers drift away: their visits end one day.
            let dropOut = status == .prospect ? 20 : (status == .stopped ? 10 : 0)
            if rng.below(100) >= dropOut {
                let engagement = Double(customers[c].engagement) / 10
                queue.push(
                    visitTime(meanDays: meanDaysBetweenVisits(status) / engagement), .session, customer: c,
                    ref: SessionIntent.browse.rawValue
                )
            }
            actions = rng.weighted([15, 35, 25, 15, 10])
        case .cancel:
            guard customers[c].epoch == epoch, status == .active || status == .onHold else { return }
            actions = hasOpenOrder(c) && rng.below(100) < 35 ? 2 : 1
        case .reactivate:
            guard customers[c].epoch == epoch, status == .stopped else { return }
            actions = rng.below(100) < 35 ? 2 : 1
        }
        var flags = UInt32(intent.rawValue)
        if rng.below(100) < (intent == .browse ? 25 : 45) { flags |= Simulation.logoutFlag }
        if status == .prospect, rng.below(100) < 40 {
            // Not logged in: a prospect on the public pages (contact form, sign-up page).
            flags &= ~Simulation.logoutFlag
            actions = max(actions, 1)
        } else {
            let r = rng.below(100)
            if r < 55 {
                emitLogin(.loginCookie, c)
            } else if r < 80 {
                if rng.below(100) < 8 {
                    emit(.passwordReset, customer: c)
                    flags |= Simulation.pendingLoginFlag | Simulation.passwordLoginFlag
                } else {
                    emitLogin(.login, c)
                }
            } else if r < 96 {
                emitLogin(.loginMagicLink, c)
            } else {
                begin(.loginMagicLinkFailed)
                writeCustomer(c)
                data("reason", literal: "expired")
                key("link_sent_at")
                writer.byte(UInt8(ascii: "\""))
                clock.writeTimestamp(now - Int64(86_400 + rng.below(6 * 86_400)), into: &writer)
                writer.byte(UInt8(ascii: "\""))
                end()
                flags |= Simulation.pendingLoginFlag
                if rng.below(100) < 50 { flags |= Simulation.passwordLoginFlag }
            }
        }
        scheduleStep(c, remaining: actions, flags: flags)
    }

    private mutating func scheduleStep(_ c: Int, remaining: Int, flags: UInt32) {
        if flags & Simulation.pendingLoginFlag != 0 || remaining > 0 {
            queue.push(now + 20 + Int64(rng.below(400)), .sessionStep, customer: c, ref: remaining, epoch: flags)
        } else if flags & Simulation.logoutFlag != 0 {
            queue.push(now + 30 + Int64(rng.below(900)), .sessionStep, customer: c, ref: 0, epoch: flags)
        }
    }

    /// One step of a visit: the delayed login, an action, or the logout.
    mutating func sessionStep(_ c: Int, remaining: Int, flags: UInt32) {
        guard customers[c].status != .dead else { return }
        var flags = flags
        var remaining = remaining
        if flags & Simulation.pendingLoginFlag != 0 {
            emitLogin(flags & Simulation.passwordLoginFlag != 0 ? .login : .loginMagicLink, c)
            flags &= ~(Simulation.pendingLoginFlag | Simulation.passwordLoginFlag)
        } else if remaining == 0 {
            if flags & Simulation.logoutFlag != 0 { emit(.logout, customer: c) }
            return
        } else {
            let intent = SessionIntent(rawValue: Int(flags & 0xFF)) ?? .browse
            perform(c, intent: intent, last: remaining == 1)
            remaining -= 1
        }
        scheduleStep(c, remaining: remaining, flags: flags)
    }

    /// A login entry with where it came from.
    private mutating func emitLogin(_ type: EntryType, _ c: Int) {
        begin(type)
        writeCustomer(c)
        key("ip")
        // Documentation address ranges (RFC 5737): 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24.
        switch rng.below(3) {
        case 0: writer.append("\"192.0.2.")
        case 1: writer.append("\"198.51.100.")
        default: writer.append("\"203.0.113.")
        }
        writer.decimal(1 + rng.below(254))
        writer.byte(UInt8(ascii: "\""))
        // Most visits come from the person's usual device.
        let usual = customers[c].number % Phrases.devices.count
        data("device", quoted: Phrases.devices[rng.below(100) < 75 ? usual : rng.below(Phrases.devices.count)])
        end()
    }

    /// Whether the customer's order for the next delivery exists and can still be edited (unbilled).
    func hasOpenOrder(_ c: Int) -> Bool {
        let slot = customers[c].cycleOrder
        return slot >= 0 && orders[slot].status == .open
    }

    /// Performs the visit's action: the intent's own on its last step, else one drawn by the weights.
    private mutating func perform(_ c: Int, intent: SessionIntent, last: Bool) {
        switch intent {
        case .cancel:
            if last {
                if customers[c].status == .active || customers[c].status == .onHold { cancelAccount(c) }
            } else if hasOpenOrder(c) {
                perform(.considerSkip, c)
            }
            return
        case .reactivate:
            if customers[c].status == .stopped {
                resume(c, reason: "reactivated")
            } else if customers[c].status == .active {
                perform(rng.below(100) < 60 ? .changeSubscriptionBox : .changeSchedule, c)
            }
            return
        case .browse:
            break
        }
        var candidates: [SessionAction] = []
        var weights: [Int] = []
        candidates.reserveCapacity(SessionAction.allCases.count)
        weights.reserveCapacity(SessionAction.allCases.count)
        let customer = customers[c]
        let open = hasOpenOrder(c)
        let editableLines = open ? orders[customer.cycleOrder].lines.count : 0
        let discounted = open && orders[customer.cycleOrder].discountCode >= 0
        for action in SessionAction.allCases {
            let w = weight(of: action, for: customer, open: open, lines: editableLines, discounted: discounted)
            if w > 0 {
                candidates.append(action)
                weights.append(w)
            }
        }
        var total = 0
        for w in weights { total += w }
        candidates.append(.justLook)
        weights.append(max(0, 10_000 - total))
        perform(candidates[rng.weighted(weights)], c)
    }

    /// How likely `action` is at one step of a visit, per 10,000 steps (0: not possible now).
    ///
    /// What is left to 10,000 is `justLook`: the step writes nothing (looking at the menu, the schedule).
    private func weight(
        of action: SessionAction, for customer: CustomerRecord, open: Bool, lines: Int, discounted: Bool
    ) -> Int {
        let unplanned = customer.cycleOrder < 0 && customer.nextDelivery >= 0
        let subscribed = customer.subscribed
        switch customer.status {
        case .active:
            switch action {
            case .addAddon: return open ? 700 : 0
            case .deleteItem: return open && lines > 1 ? 250 : 0
            case .substitute: return open ? 900 : 0
            case .undoSubstitution: return open && customer.substitutionsMade > 0 ? 300 : 0
            case .changeOrderBox: return open ? 120 : 0
            case .considerSkip: return open ? 200 : 0
            case .skipOrder: return open ? 130 : 0
            case .useDiscountCode: return open && !discounted ? 80 : 0
            case .useGiftCertificate: return open ? 25 : 0
            case .changeSchedule: return 50
            case .skipDelivery: return unplanned ? 150 : 0
            case .addDelivery:
                return unplanned && customer.schedule != .weekly && customer.nextDelivery - 12 > today ? 100 : 0
            case .resetSchedule:
                return unplanned && customer.scheduleModified && customer.resetDelivery - 5 > today ? 250 : 0
            case .changeSubscriptionBox, .updatePaymentInfo, .updateShippingNotes, .updateProfile: return 60
            case .shareWithFriends, .contactForm: return 60
            case .addRecurring: return customer.recurring.count < 2 ? 60 : 0
            case .updateRecurring: return customer.recurring.isEmpty ? 0 : 60
            case .removeRecurring: return customer.recurring.isEmpty ? 0 : 50
            case .updateAddress: return 40
            case .addBirthday: return customer.birthdayAdded ? 0 : 60
            case .buyGiftBox: return 20
            case .unsubscribe: return subscribed ? 30 : 0
            case .resubscribe: return subscribed ? 0 : 80
            case .cancelAccount: return 6
            case .optInSMS: return configuration.includeUnknownTypes ? 20 : 0
            case .justLook, .reactivate, .restartSignup: return 0
            }
        case .onHold:
            switch action {
            case .updatePaymentInfo: return 2_500
            case .cancelAccount: return 800
            case .contactForm: return 600
            case .updateAddress, .updateProfile: return 200
            case .unsubscribe: return subscribed ? 200 : 0
            case .resubscribe: return subscribed ? 0 : 200
            case .updateShippingNotes: return 100
            default: return 0
            }
        case .stopped:
            switch action {
            case .reactivate: return 150
            case .contactForm: return 300
            case .addBirthday: return customer.birthdayAdded ? 0 : 150
            case .buyGiftBox, .updateAddress, .updateProfile, .shareWithFriends, .updatePaymentInfo: return 100
            case .unsubscribe: return subscribed ? 300 : 0
            case .resubscribe: return subscribed ? 0 : 200
            default: return 0
            }
        case .prospect:
            switch action {
            case .contactForm: return 800
            case .restartSignup: return 600
            case .updateProfile, .updateAddress: return 200
            case .buyGiftBox, .shareWithFriends: return 100
            case .addBirthday: return customer.birthdayAdded ? 0 : 100
            case .unsubscribe: return subscribed ? 300 : 0
            case .resubscribe: return subscribed ? 0 : 100
            default: return 0
            }
        case .dead:
            return 0
        }
    }
}

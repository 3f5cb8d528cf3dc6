/// Why a visit happens: browsing (the regular visits), or coming to cancel, or coming back.
enum SessionIntent: Int {
    case browse = 0, cancel = 1, reactivate = 2
}

/// What a person can do during a visit.
enum SessionAction: CaseIterable {
    case justLook, addAddon, deleteItem, substitute, undoSubstitution, changeOrderBox, considerSkip, skipOrder
    case useDiscountCode, useGiftCertificate, changeSchedule, skipDelivery, addDelivery, resetSchedule
    case changeSubscriptionBox, addRecurring, updateRecurring, removeRecurring, updatePaymentInfo
    case updateAddress, updateShippingNotes, addBirthday, updateProfile, shareWithFriends, buyGiftBox
    case contactForm, unsubscribe, resubscribe, cancelAccount, reactivate, restartSignup, optInSMS
}

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
            actions = rng.weighted([25, 38, 22, 10, 5])
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
        data("device", quoted: rng.pick(Phrases.devices))
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
        guard !candidates.isEmpty else { return }
        perform(candidates[rng.weighted(weights)], c)
    }

    /// How likely `action` is for this customer now (0: not possible).
    private func weight(
        of action: SessionAction, for customer: CustomerRecord, open: Bool, lines: Int, discounted: Bool
    ) -> Int {
        let unplanned = customer.cycleOrder < 0 && customer.nextDelivery >= 0
        switch customer.status {
        case .active:
            switch action {
            case .justLook: return 60
            case .addAddon: return open ? 60 : 0
            case .deleteItem: return open && lines > 1 ? 25 : 0
            case .substitute: return open ? 70 : 0
            case .undoSubstitution: return open && customer.substitutionsMade > 0 ? 20 : 0
            case .changeOrderBox: return open ? 12 : 0
            case .considerSkip: return open ? 25 : 0
            case .skipOrder: return open ? 20 : 0
            case .useDiscountCode: return open && !discounted ? 8 : 0
            case .useGiftCertificate: return open ? 3 : 0
            case .changeSchedule: return 4
            case .skipDelivery: return unplanned ? 12 : 0
            case .addDelivery:
                return unplanned && customer.schedule != .weekly && customer.nextDelivery - 12 > today ? 4 : 0
            case .resetSchedule:
                return unplanned && customer.scheduleModified && customer.resetDelivery - 5 > today ? 6 : 0
            case .changeSubscriptionBox: return 5
            case .addRecurring: return customer.recurring.count < 2 ? 3 : 0
            case .updateRecurring: return customer.recurring.isEmpty ? 0 : 3
            case .removeRecurring: return customer.recurring.isEmpty ? 0 : 4
            case .updatePaymentInfo, .updateShippingNotes, .updateProfile, .shareWithFriends, .contactForm: return 4
            case .updateAddress: return 3
            case .addBirthday: return customer.birthdayAdded ? 0 : 4
            case .buyGiftBox: return 2
            case .unsubscribe: return customer.subscribed ? 3 : 0
            case .resubscribe: return customer.subscribed ? 0 : 6
            case .cancelAccount: return 1
            case .optInSMS: return configuration.includeUnknownTypes ? 2 : 0
            case .reactivate, .restartSignup: return 0
            }
        case .onHold:
            switch action {
            case .updatePaymentInfo: return 300
            case .justLook: return 50
            case .contactForm: return 20
            case .cancelAccount: return 30
            case .updateAddress, .updateProfile, .unsubscribe: return action == .unsubscribe && !customer.subscribed ? 0 : 10
            case .resubscribe: return customer.subscribed ? 0 : 10
            case .updateShippingNotes: return 5
            default: return 0
            }
        case .stopped:
            switch action {
            case .reactivate: return 8
            case .justLook: return 60
            case .contactForm: return 20
            case .buyGiftBox: return 8
            case .updateAddress, .updateProfile, .shareWithFriends, .updatePaymentInfo: return 10
            case .addBirthday: return customer.birthdayAdded ? 0 : 10
            case .unsubscribe: return customer.subscribed ? 20 : 0
            case .resubscribe: return customer.subscribed ? 0 : 15
            default: return 0
            }
        case .prospect:
            switch action {
            case .contactForm: return 30
            case .restartSignup: return 15
            case .justLook: return 40
            case .updateProfile, .updateAddress, .buyGiftBox: return 10
            case .shareWithFriends, .addBirthday: return action == .addBirthday && customer.birthdayAdded ? 0 : 5
            case .unsubscribe: return customer.subscribed ? 10 : 0
            case .resubscribe: return customer.subscribed ? 0 : 5
            default: return 0
            }
        case .dead:
            return 0
        }
    }
}

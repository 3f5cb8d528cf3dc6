/// Arrivals and signups: prospects appear, start the signup with a cart, and most complete it.
extension Simulation {
    /// A new person: organic visitors start the signup right away; promo and gift accounts are activated
    /// first and sign up later.
    mutating func arrive(channel: CustomerRecord.Channel) {
        let c = newCustomer(channel: channel)
        switch channel {
        case .organic:
            if rng.below(100) < 15, let referrer = randomSignedUpCustomer(before: c) {
                customers[c].referrer = referrer
            }
            beginSignup(c)
        case .promo:
            let promo = rng.below(Phrases.promoCodes.count)
            customers[c].promo = promo
            begin(.promoAccountActivated)
            writeCustomer(c)
            data("promo_code", quoted: Phrases.promoCodes[promo])
            data("partner", quoted: Phrases.promoPartners[promo])
            end()
            if rng.below(100) < 85 {
                queue.push(now + 300 + Int64(rng.below(5_400)), .completeSignup, customer: c, ref: 1)
            }
        case .gift:
            customers[c].giftCredit = rng.below(100) < 70 ? 4_995 : 9_990
            customers[c].giftCode = giftCode()
            let purchaser = randomSignedUpCustomer(before: c)
            begin(.giftAccountActivated)
            writeCustomer(c)
            data("certificate_code", quoted: customers[c].giftCode)
            if let purchaser { data("purchaser_customer_id", id: customers[purchaser].number) }
            data("amount", money: customers[c].giftCredit)
            end()
            if rng.below(100) < 75 {
                queue.push(now + 600 + Int64(rng.below(5 * 86_400)), .startSignup, customer: c)
            }
        }
        queue.push(visitTime(meanDays: 12), .session, customer: c, ref: SessionIntent.browse.rawValue)
        queue.push(now + Int64(20 * 86_400 + rng.below(40 * 86_400)), .mailbox, customer: c)
    }

    /// Writes `started.signup`: the prospect chose a box (and maybe an add-on) and entered their details.
    ///
    /// About three in five first attempts are completed, within minutes, hours or days.
    mutating func beginSignup(_ c: Int) {
        let box = catalog.boxes[rng.weighted(catalog.boxWeights)]
        customers[c].cartBox = box
        customers[c].signupStarts += 1
        var items = [box]
        customers[c].cartAddon = -1
        if rng.below(100) < 15 {
            let addon = rng.pick(catalog.addons)
            customers[c].cartAddon = addon
            items.append(addon)
        }
        begin(.startedSignup)
        writeCustomer(c)
        writeCart(c, products: items)
        let referrer = customers[c].referrer
        if referrer >= 0, customers[c].signupStarts == 1 { data("referred_by", id: customers[referrer].number) }
        end()
        let completion: Int
        if customers[c].signupStarts > 1 {
            completion = 35
        } else {
            completion = customers[c].channel == .gift ? 80 : 62
        }
        guard rng.below(100) < completion else { return }
        let r = rng.below(100)
        let delay: Int
        if r < 50 {
            delay = 180 + rng.below(2_400)
        } else if r < 80 {
            delay = 3_600 + rng.below(23 * 3_600)
        } else {
            delay = 86_400 + rng.below(5 * 86_400)
        }
        queue.push(now + Int64(delay), .completeSignup, customer: c)
    }

    /// `signup.completed` (or `promo_signup.completed`): Active, with a box, a schedule, a signup date
    /// and a first delivery; the first order is created at once when the delivery is close.
    mutating func completeSignup(_ c: Int, promo: Bool) {
        guard customers[c].status == .prospect else { return }
        let box = customers[c].cartBox >= 0 ? customers[c].cartBox : catalog.boxes[rng.weighted(catalog.boxWeights)]
        customers[c].box = box
        if customers[c].cartAddon >= 0, customers[c].recurring.isEmpty {
            // The add-on chosen with the box at checkout comes with every delivery.
            customers[c].recurring = [.init(product: customers[c].cartAddon, quantity: 1)]
        }
        let schedules: [CustomerRecord.Schedule] = [.weekly, .biweekly, .monthly]
        customers[c].schedule = schedules[rng.weighted([45, 35, 20])]
        customers[c].status = .active
        customers[c].epoch &+= 1
        customers[c].signupDate = Array(",\"signup_date\":\"".utf8) + timestampBytes(now) + [UInt8(ascii: "\"")]
        let first = firstDay(onOrAfter: today + 3, weekday: customers[c].deliveryWeekday)
        customers[c].nextDelivery = first
        customers[c].naturalNextDelivery = first
        customers[c].cycleToken &+= 1
        if promo {
            customers[c].pendingDiscount = rng.below(100) < 50 ? 1 : 5
            begin(.promoSignupCompleted)
            writeCustomer(c)
            data("first_delivery", day: first)
            data("promo_code", quoted: Phrases.promoCodes[max(0, customers[c].promo)])
            end()
        } else {
            emit(.signupCompleted, customer: c)
            if rng.below(100) < 30 {
                let code = rng.below(Phrases.discountCodes.count)
                customers[c].pendingDiscount = code
                emitDiscountCodeUsed(c, code: code, order: nil)
            }
        }
        if configuration.includeUnknownTypes, rng.below(100) < 5 {
            begin(.smsOptedIn)
            writeCustomer(c)
            data("source", literal: "checkout")
            end()
        }
        if first - 5 <= today {
            createOrder(c, deliveryDay: first, welcome: rng.below(100) < 50)
        } else {
            scheduleOrderCreation(c)
        }
    }

    /// `discount_code.used`, on the account (applied to the first order) or on an open order.
    mutating func emitDiscountCodeUsed(_ c: Int, code: Int, order slot: Int?) {
        begin(.discountCodeUsed)
        writeCustomer(c)
        if let slot { writeOrder(slot) }
        data("code", quoted: Phrases.discountCodes[code].code)
        let value = Phrases.discountCodes[code].value
        if value < 0 { data("percent", int: -value) } else { data("amount", money: value) }
        end()
    }

    // MARK: People

    /// A new customer record with a unique email, an address in the delivery area and a few traits.
    mutating func newCustomer(channel: CustomerRecord.Channel) -> Int {
        nextCustomerNumber += 1 + rng.below(3)
        let first = rng.below(Directory.firstNames.count)
        let last = rng.below(Directory.lastNames.count)
        let city = rng.weighted(Directory.cityWeights)
        let record = CustomerRecord(
            number: nextCustomerNumber,
            firstName: first,
            lastName: last,
            email: uniqueEmail(first: first, last: last),
            areaCode: Directory.cities[city].areaCode,
            phoneSuffix: rng.below(100),
            houseNumber: 10 + rng.below(rng.below(100) < 70 ? 990 : 8_990),
            street: rng.below(Directory.streets.count),
            unit: rng.below(100) < 25 ? 1 + rng.below(40) : 0,
            unitPrefix: rng.below(Directory.unitPrefixes.count),
            city: city,
            zip: Directory.cities[city].zipPrefix * 100 + rng.below(100),
            subscribed: rng.below(100) < 88,
            deliveryWeekday: [2, 3, 4, 5][rng.weighted([30, 25, 30, 15])],
            channel: channel,
            risky: rng.below(100) < 8,
            remindersOn: rng.below(100) < 75,
            cardLast4: rng.below(10_000),
            engagement: [4, 10, 20, 35][rng.weighted([30, 40, 20, 10])]
        )
        customers.append(record)
        let c = customers.count - 1
        renderIdentity(c)
        return c
    }

    /// A customer (index) who has completed a signup, drawn among the earlier ones, if one is found.
    mutating func randomSignedUpCustomer(before c: Int) -> Int? {
        guard c > 0 else { return nil }
        for _ in 0..<4 {
            let candidate = rng.below(c)
            if !customers[candidate].signupDate.isEmpty, customers[candidate].status != .dead { return candidate }
        }
        return nil
    }

    /// An email like `maria.gonzalez84@example.com`, never one already in use.
    mutating func uniqueEmail(first: Int, last: Int) -> [UInt8] {
        let f = Directory.emailSafe(Directory.firstNames[first])
        let l = Directory.emailSafe(Directory.lastNames[last])
        var attempt = 0
        while true {
            var local: String
            switch rng.below(6) {
            case 0: local = "\(f).\(l)"
            case 1: local = "\(f)\(l)\(rng.below(100))"
            case 2: local = "\(f.prefix(1))\(l)"
            case 3:
                let year = (70 + rng.below(36)) % 100
                local = "\(f)_\(l)\(year < 10 ? "0" : "")\(year)"
            case 4: local = "\(f)\(100 + rng.below(900))"
            default: local = "\(l).\(f)"
            }
            if attempt > 0 { local += String(rng.below(10_000)) }
            let email = Array("\(local)@\(rng.pick(Directory.emailDomains))".utf8)
            if emails.insert(email).inserted { return email }
            attempt += 1
        }
    }

    /// Renders `identity`: `{"id":…,"email":…,"first_name":…,"last_name":…,"phone":…,"address":{…}`.
    mutating func renderIdentity(_ c: Int) {
        let r = customers[c]
        let city = Directory.cities[r.city]
        var s = "{\"id\":\"\(r.number)\",\"email\":\"" + String(decoding: r.email, as: UTF8.self) + "\""
        s +=
            ",\"first_name\":\""
            + String(decoding: [UInt8](jsonEscaping: Directory.firstNames[r.firstName]), as: UTF8.self)
        s +=
            "\",\"last_name\":\""
            + String(decoding: [UInt8](jsonEscaping: Directory.lastNames[r.lastName]), as: UTF8.self)
        let suffix = r.phoneSuffix < 10 ? "0\(r.phoneSuffix)" : "\(r.phoneSuffix)"
        s += "\",\"phone\":\"+1\(r.areaCode)55501\(suffix)\""
        s += ",\"address\":{\"line1\":\"\(r.houseNumber) \(Directory.streets[r.street])\""
        if r.unit > 0 {
            let letter = r.unit % 3 == 0 ? String(UnicodeScalar(UInt8(65 + r.unit % 6))) : ""
            s += ",\"line2\":\"\(Directory.unitPrefixes[r.unitPrefix]) \(r.unit)\(letter)\""
        }
        let zip = String(r.zip)
        s += ",\"city\":\"\(city.name)\",\"region\":\"\(city.region)\",\"zip\":\""
        s += String(repeating: "0", count: max(0, 5 - zip.count)) + zip + "\",\"country\":\"US\"}"
        customers[c].identity = Array(s.utf8)
    }

    /// A gift code like `"GIFT-7KQ2-M9XD"` (quoted).
    mutating func giftCode() -> [UInt8] {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789".utf8)
        var code = Array("\"GIFT-".utf8)
        for i in 0..<8 {
            if i == 4 { code.append(UInt8(ascii: "-")) }
            code.append(alphabet[rng.below(alphabet.count)])
        }
        code.append(UInt8(ascii: "\""))
        return code
    }
}

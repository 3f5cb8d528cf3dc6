internal import GRDB

extension SandboxStore {
    /// Applies a consent job to the profiles it names and to the list it may name.
    ///
    /// Unknown profiles are created (except by unsuppress). A named list means its members
    /// (suppress/unsuppress) or a membership (subscribe/unsubscribe). An unknown list answers 404 and
    /// changes nothing.
    package func runConsentJob(_ job: ConsentValidator.Job, action: ConsentAction, now: Int64, baseURL: String)
        async throws -> SandboxJSON
    {
        try await pool.write { db in
            if let list = job.listID, try !Self.listExists(list, in: db) {
                throw SandboxRejection(.notFound("No list with id '\(list)'."))
            }
            var targets: [ProfileRecord] = []
            for named in job.profiles {
                if let profile = try Self.find(named, in: db) {
                    targets.append(profile)
                } else if action != .unsuppress {
                    var patch = ProfilePatch()
                    if let email = named.email { patch.email = .set(email) }
                    if let phone = named.phoneNumber { patch.phoneNumber = .set(phone) }
                    targets.append(try Self.upsert(patch, conflicts: .keepFirstMatch, now: now, in: db).profile)
                }
            }
            if let list = job.listID, action == .suppress || action == .unsuppress {
                for id in try Self.memberIDs(of: list, in: db) {
                    if let profile = try Self.profile(id: id, in: db), !targets.contains(where: { $0.id == id }) {
                        targets.append(profile)
                    }
                }
            }
            var completed = 0
            for var profile in targets {
                if Self.apply(action, to: &profile, now: now) { completed += 1 }
                try Self.save(profile, in: db)
                if let list = job.listID, action == .subscribe || action == .unsubscribe {
                    try Self.setMember(
                        listID: list, profileID: profile.id, member: action == .subscribe, now: now, in: db)
                }
            }
            return try Self.finishedJob(
                type: action.rawValue, total: max(job.profiles.count, targets.count), completed: completed, now: now,
                baseURL: baseURL, in: db)
        }
    }

    static func find(_ named: ConsentValidator.Job.Profile, in db: Database) throws -> ProfileRecord? {
        if let email = named.email, let profile = try profile(email: email, in: db) { return profile }
        if let phone = named.phoneNumber { return try profile(where: "phone_number", equals: phone, in: db) }
        return nil
    }

    /// Changes `profile` as `action` says; returns whether anything changed.
    static func apply(_ action: ConsentAction, to profile: inout ProfileRecord, now: Int64) -> Bool {
        let before = profile
        switch action {
        case .suppress:
            if profile.suppressionReason == nil {
                profile.suppressionReason = "USER_SUPPRESSED"
                profile.suppressedAt = now
            }
        case .unsuppress:
            // Klaviyo lifts only manual suppressions; unsubscribes, bounces and complaints stay.
            if profile.suppressionReason == "USER_SUPPRESSED" {
                profile.suppressionReason = nil
                profile.suppressedAt = nil
            }
        case .subscribe:
            if profile.email != nil {
                profile.emailConsent = "SUBSCRIBED"
                if profile.suppressionReason == "UNSUBSCRIBE" {
                    profile.suppressionReason = nil
                    profile.suppressedAt = nil
                }
            }
            if profile.phoneNumber != nil { profile.smsConsent = "SUBSCRIBED" }
        case .unsubscribe:
            if profile.email != nil {
                profile.emailConsent = "UNSUBSCRIBED"
                if profile.suppressionReason == nil {
                    profile.suppressionReason = "UNSUBSCRIBE"
                    profile.suppressedAt = now
                }
            }
            if profile.phoneNumber != nil { profile.smsConsent = "UNSUBSCRIBED" }
        }
        guard profile != before else { return false }
        profile.updated = now
        return true
    }
}
